"""The periods a scorecard or leaderboard is read for: the month, quarter or
year holding a day, or custom dates. Shared by the pages and the API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils.translation import gettext_lazy as _

from rumbo.metrics.evaluation import add_months, month_end

Period = Literal["month", "quarter", "year", "custom"]
PERIODS: list[tuple[str, object]] = [
    ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")),
    ("custom", _("Custom dates")),
]  # fmt: skip


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
