"""The periods a scorecard or leaderboard is read for: the month, quarter or
year holding a day, or custom dates. Shared by the pages and the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rumbo.metrics.evaluation import GroupBy, add_months, month_end
from rumbo.web.moments import EARLIEST, LATEST

Period = Literal["month", "quarter", "year", "custom"]
PERIODS: list[tuple[str, object]] = [
    ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")),
    ("custom", _("Custom dates")),
]  # fmt: skip


# Every day a reader may ask about lies between EARLIEST and LATEST, declared
# in the ground kit (web/moments.py) that every app stands on.


def period_bounds(period: str, on: date, start: date | None = None,
                  end: date | None = None) -> tuple[date, date]:  # fmt: skip
    """First and last day of the month, quarter or year holding `on`; for
    "custom", [start, end] (each defaulting to `on`). ValueError when the first
    day is after the last."""
    if period == "month":
        first = on.replace(day=1)
        return first, month_end(first)
    if period == "quarter":
        first = date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
        return first, month_end(add_months(first, 2))
    if period == "year":
        return date(on.year, 1, 1), date(on.year, 12, 31)
    if period != "custom":
        raise ValueError(period)
    first, last = start or on, end or on
    if first > last:
        raise ValueError("first after last")
    return first, last


def _years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def bucket_count(start: date, end: date, group_by: GroupBy) -> int:
    """How many weeks or months `buckets()` would split [start, end] into,
    counted without building them."""
    if group_by == "week":
        monday = start - timedelta(days=start.weekday())
        return (end - monday).days // 7 + 1
    if group_by == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return 1


def check_period(*, start: date, end: date, group_by: GroupBy = None,
                 first: str = "from", last: str = "to") -> None:  # fmt: skip
    """Refuse a period a reader may not ask for, with a ValidationError naming
    the field (`first` or `last`, as the caller calls them): a day outside
    EARLIEST–LATEST, the first day after the last, a span longer than
    settings.METRICS_MAX_YEARS, or more than settings.METRICS_MAX_BUCKETS weeks
    or months. The one gate of every period read from outside (API, pages, the
    `rumbo metrics show` command), so each answer's work stays bounded."""
    for name, day in ((first, start), (last, end)):
        if not EARLIEST <= day <= LATEST:
            raise ValidationError({name: gettext_now(
                "Choose a day between %(earliest)s and %(latest)s."
            ) % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}})  # fmt: skip
    if start > end:
        raise ValidationError({first: gettext_now("The first day is after the last day.")})
    years = settings.METRICS_MAX_YEARS
    if end >= _years_after(start, years):
        raise ValidationError({last: ngettext(
            "A period is at most %(years)d year long.",
            "A period is at most %(years)d years long.", years,
        ) % {"years": years}})  # fmt: skip
    count, most = bucket_count(start, end, group_by), settings.METRICS_MAX_BUCKETS
    if count > most:
        message = (
            gettext_now("This period has %(count)d weeks; at most %(most)d can be shown at "
                        "once. Choose a shorter period or group by month.")
            if group_by == "week" else
            gettext_now("This period has %(count)d months; at most %(most)d can be shown at "
                        "once. Choose a shorter period.")
        )  # fmt: skip
        raise ValidationError({"by": message % {"count": count, "most": most}})


def checked_bounds(period: str, on: date, start: date | None = None, end: date | None = None,
                   *, first: str = "from", last: str = "to") -> tuple[date, date]:  # fmt: skip
    """`period_bounds` under `check_period`'s limits; ValidationError otherwise.
    `on` is checked first: the period holding a day out of range is never built."""
    if not EARLIEST <= on <= LATEST:
        check_period(start=on, end=on, first="on", last="on")
    for name, day in ((first, start), (last, end)):
        if day is not None:
            check_period(start=day, end=day, first=name, last=name)
    try:
        bounds = period_bounds(period, on, start, end)
    except ValueError as exc:
        raise ValidationError({first: gettext_now("The first day is after the last day.")}) \
            from exc  # fmt: skip
    check_period(start=bounds[0], end=bounds[1], first=first, last=last)
    return bounds
