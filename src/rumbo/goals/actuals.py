"""Component totals for many goals at once, read from the rollups (through
the metrics' one reader, metrics.totals, where the sums are plain) in a few
grouped queries: per member for each distinct period (goals share periods:
a month, a quarter, a year), and per member and week for the forecasts'
history. A scheduled job of the organisation reads them for the organisation
as a whole; people read the results through `Goal.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, QuerySet

from rumbo.metrics import totals
from rumbo.metrics.models import RollupDay, RollupMonth

Totals = dict[str, Decimal]


def member_totals(organization_id: int, start: date, end: date,
                  components: list[str]) -> dict[int, Totals]:  # fmt: skip
    """Each member's component totals over [start, end], through the metrics'
    one rollup reader (month rows for the whole months, day rows for the ragged
    edges: at most two queries)."""
    months = RollupMonth.objects.filter(organization_id=organization_id)
    days = RollupDay.objects.filter(organization_id=organization_id)
    rows = totals.period_rows(months, days, start, end, components, totals.by_field("member_id"))
    return totals.merge(rows, components)


Weeks = list[dict[str, float] | None]


def weekly_totals(organization_id: int, day: date,
                  components: list[str], weeks: int) -> dict[int, Weeks]:  # fmt: skip
    """Each member's component totals for each of the `weeks` whole weeks
    (Monday to Sunday) before the one holding `day`, oldest first (None for a
    week without a row). Floats, read without the ORM's converters: they only
    feed the forecast's mean and spread, and 10,000 reps have 120,000 rows."""
    this_monday = day - timedelta(days=day.weekday())
    first = this_monday - timedelta(weeks=weeks)
    days = RollupDay.objects.filter(organization_id=organization_id)
    found: dict[int, Weeks] = {}
    for member_id, week, *sums in totals.week_rows(days, first, weeks, "member_id", components):
        mine = found.get(member_id)
        if mine is None:
            mine = found[member_id] = [None] * weeks
        mine[week] = {c: v or 0.0 for c, v in zip(components, sums, strict=True)}
    return found


def monthly_totals(organization_id: int, day: date, components: list[str], months: int,
                   every: int = 1) -> tuple[date, dict[int, Weeks]]:  # fmt: skip
    """Each member's component totals for each of the `months` whole months
    before the one holding `day`, oldest first (None for a month without a
    row), from the monthly rollups, and the first of those months. `every`:
    only members whose id is a multiple of it (a sample, for the seasons)."""
    this_month = day.replace(day=1)
    year, index = divmod(this_month.month - 1 - months, 12)
    first = date(this_month.year + year, index + 1, 1)
    rows: QuerySet[RollupMonth] = RollupMonth.objects.filter(organization_id=organization_id)
    if every > 1:
        rows = rows.alias(sample=F("member_id") % every).filter(sample=0)  # type: ignore[assignment]
    found: dict[int, Weeks] = {}
    for member_id, month, *sums in totals.month_rows(rows, first, this_month, "member_id",
                                                     components):  # fmt: skip
        mine = found.get(member_id)
        if mine is None:
            mine = found[member_id] = [None] * months
        mine[(month.year - first.year) * 12 + month.month - first.month] = {
            c: float(v or 0) for c, v in zip(components, sums, strict=True)
        }
    return first, found


def daily_totals(organization_id: int, member_ids: Iterable[int] | None, start: date, end: date,
                 components: list[str]) -> dict[date, Totals]:  # fmt: skip
    """Component totals per day over [start, end] for a set of members (None:
    everyone), for one goal's history."""
    days = RollupDay.objects.filter(organization_id=organization_id)
    if member_ids is not None:
        days = days.filter(member_id__in=list(member_ids))
    rows = totals.period_rows(RollupMonth.objects.none(), days, start, end, components,
                              totals.by_field("day"), whole_days=True)  # fmt: skip
    return totals.merge(rows, components)
