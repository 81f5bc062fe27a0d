"""Date-times the API reads (a complaint's `opened_at`, the `opened_from`
filter): within the years every part of Rumbo handles, and in UTC.

A time such as 0001-01-01T00:00+01:00 lies before the first instant Python
can hold in UTC (OverflowError on SQLite), and an offset like +21:48, valid
in ISO 8601, is refused by PostgreSQL ("time zone displacement out of
range"): both answered 500. Read through `Moment`, a date-time is moved to
UTC (a naive one is read in the organisation's time zone) and must fall in
the years metrics accept (metrics.periods: 1900-2199); otherwise 422 names
the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from rumbo.metrics.periods import EARLIEST, LATEST


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
