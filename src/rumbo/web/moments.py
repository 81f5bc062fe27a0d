"""Date-times the API reads (a complaint's `opened_at`, the `opened_from`
filter): within the years every part of Rumbo handles, and in UTC.

A time such as 0001-01-01T00:00+01:00 lies before the first instant Python
can hold in UTC (OverflowError on SQLite), and an offset like +21:48, valid
in ISO 8601, is refused by PostgreSQL ("time zone displacement out of
range"): both answered 500. Read through `Moment`, a date-time is moved to
UTC (a naive one is read in the organisation's time zone) and must fall in
the years every part of Rumbo accepts (1900-2199, below); otherwise 422
names the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

# Every day a reader may ask about lies between these: far enough from year 1
# and 9999 that the period before, the day after and a year of margin never
# leave Python's dates (which made years 1 and 9999 answer 500). Declared here,
# in the ground kit, for every app (metrics.periods reads them).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def in_range_utc(value: dt.datetime) -> dt.datetime:
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        utc = value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc.date() <= LATEST:
        raise ValueError(_("Use a date-time between %(first)s and %(last)s.")
                         % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()})  # fmt: skip
    return utc


Moment = Annotated[dt.datetime, AfterValidator(in_range_utc)]
