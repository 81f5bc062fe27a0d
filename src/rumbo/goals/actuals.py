"""Component totals for many goals at once, read from the rollups in a few
grouped queries: per member for each distinct period (goals share periods:
a month, a quarter, a year), and per member and week for the forecasts'
history. A scheduled job of the organisation reads them for the organisation
as a whole; people read the results through `Goal.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.selectors import split_period

Totals = dict[str, Decimal]


def _grouped(qs: QuerySet[Any], keys: list[str], components: Iterable[str]) -> list[dict[str, Any]]:
    sums = {f"s_{c}": Sum(c) for c in components}
    return list(qs.values(*keys).annotate(**sums).order_by())


def _add(into: Totals, row: dict[str, Any], components: Iterable[str]) -> None:
    for c in components:
        into[c] = into.get(c, Decimal(0)) + Decimal(row[f"s_{c}"] or 0)


def member_totals(organization_id: int, start: date, end: date,
                  components: list[str]) -> dict[int, Totals]:  # fmt: skip
    """Each member's component totals over [start, end]: month rows for the
    whole months, day rows for the ragged edges (at most two queries)."""
    found: dict[int, Totals] = {}
    if start > end:
        return found
    months, edges = split_period(start, end)
    if months is not None:
        rows = RollupMonth.objects.filter(organization_id=organization_id,
                                          month__gte=months[0], month__lte=months[1])  # fmt: skip
        for row in _grouped(rows, ["member_id"], components):
            _add(found.setdefault(row["member_id"], {}), row, components)
    if edges:
        ranges = Q()
        for low, high in edges:
            ranges |= Q(day__gte=low, day__lte=high)
        days = RollupDay.objects.filter(ranges, organization_id=organization_id)
        for row in _grouped(days, ["member_id"], components):
            _add(found.setdefault(row["member_id"], {}), row, components)
    return found


def weekly_totals(organization_id: int, day: date,
                  components: list[str], weeks: int) -> dict[int, dict[date, Totals]]:  # fmt: skip
    """Each member's component totals for each of the `weeks` whole weeks
    (Monday to Sunday) before the one holding `day`, plus that week up to `day`."""
    this_monday = day - timedelta(days=day.weekday())
    first = this_monday - timedelta(weeks=weeks)
    rows = RollupDay.objects.filter(organization_id=organization_id, day__gte=first,
                                    day__lt=this_monday)  # fmt: skip
    found: dict[int, dict[date, Totals]] = {}
    for row in _grouped(rows.annotate(week=TruncWeek("day")), ["member_id", "week"], components):
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        _add(found.setdefault(row["member_id"], {}).setdefault(week, {}), row, components)
    return found


def week_starts(day: date, weeks: int) -> list[date]:
    this_monday = day - timedelta(days=day.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(weeks, 0, -1)]


def daily_totals(organization_id: int, member_ids: Iterable[int] | None, start: date, end: date,
                 components: list[str]) -> dict[date, Totals]:  # fmt: skip
    """Component totals per day over [start, end] for a set of members (None:
    everyone), for one goal's history."""
    rows = RollupDay.objects.filter(organization_id=organization_id, day__gte=start, day__lte=end)
    if member_ids is not None:
        rows = rows.filter(member_id__in=list(member_ids))
    found: dict[date, Totals] = {}
    for row in _grouped(rows.annotate(d=F("day")), ["d"], components):
        _add(found.setdefault(row["d"], {}), row, components)
    return found
