"""Several metrics at once from the rollups: the components every chosen metric
needs are summed in one pass (two queries: whole months from the month rows,
ragged edges from the day rows), then each metric's formula runs on the totals.
A dashboard asking for seven metrics therefore costs what one `evaluate` does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope, scope_filter
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.selectors import split_period
from rumbo.tenancy.models import Member

Totals = dict[str, Decimal]
Grouping = str | None  # "rep", "team", "month" or None (one group)


def metrics_of(keys: Iterable[str]) -> list[registry.Metric]:
    """The registered additive metrics named by `keys`, in that order."""
    found = [registry.get_metric(key) for key in keys]
    return [m for m in found if m is not None and m.additive]


def _group(grouping: Grouping, day_field: str) -> Any:
    if grouping == "rep":
        return F("member_id")
    if grouping == "team":
        return F("member__team_id")
    if grouping == "month":
        return F("month") if day_field == "month" else TruncMonth(day_field)
    return None


def _sums(qs: QuerySet[Any], group: Any, components: Sequence[str]) -> list[dict[str, Any]]:
    aggregates = {f"sum_{c}": Sum(c) for c in components}
    if group is None:
        return [{"group": None, **qs.aggregate(**aggregates)}]
    return list(qs.annotate(group=group).values("group").annotate(**aggregates).order_by())


def component_totals(*, actor: Member, metrics: Sequence[registry.Metric], scope: Scope,
                     start: date, end: date, grouping: Grouping) -> dict[Any, Totals]:  # fmt: skip
    """Component totals per group over the members of `scope` that `actor` sees."""
    components = sorted({c for m in metrics for c in m.components})
    in_scope = scope_filter(actor, scope)
    months, edges = split_period(start, end)
    rows: list[dict[str, Any]] = []
    if months is not None:
        month_rows = RollupMonth.objects.visible_to(actor).filter(in_scope)
        month_rows = month_rows.filter(month__gte=months[0], month__lte=months[1])
        rows += _sums(month_rows, _group(grouping, "month"), components)
    if edges:
        ranges = Q()
        for low, high in edges:
            ranges |= Q(day__gte=low, day__lte=high)
        day_rows = RollupDay.objects.visible_to(actor).filter(in_scope).filter(ranges)
        rows += _sums(day_rows, _group(grouping, "day"), components)
    totals: dict[Any, Totals] = {}
    for row in rows:
        key = row["group"]
        if isinstance(key, date) and grouping == "month":
            key = key.replace(day=1)
        into = totals.setdefault(key, dict.fromkeys(components, Decimal(0)))
        for c in components:
            into[c] += Decimal(row[f"sum_{c}"] or 0)
    return totals


def rounded(value: Decimal | None, unit: str) -> Decimal | None:
    """As `evaluate` rounds: whole counts, cents for everything else."""
    if value is None:
        return None
    step = Decimal(1) if unit == "count" else Decimal("0.01")
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def values(metrics: Sequence[registry.Metric], totals: Totals | None) -> dict[str, Decimal | None]:
    """Each metric's value from one group's totals (None where nothing was recorded
    for a rate; zero for a running total)."""
    found: dict[str, Decimal | None] = {}
    for metric in metrics:
        if totals is None:
            found[metric.key] = Decimal(0) if metric.cumulative else None
            continue
        assert metric.formula is not None
        found[metric.key] = rounded(metric.formula(totals), metric.unit)
    return found
