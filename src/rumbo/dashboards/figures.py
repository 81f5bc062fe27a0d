"""Several metrics at once from the rollups: the components every chosen metric
needs are summed in one pass (two queries: whole months from the month rows,
ragged edges from the day rows), then each metric's formula runs on the totals.
A dashboard asking for seven metrics therefore costs what one `evaluate` does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from rumbo.metrics import registry, selectors
from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Scope
from rumbo.tenancy.models import Member

Totals = dict[str, Decimal]
Grouping = str | None  # "rep", "team", "month" or None (one group)


def metrics_of(keys: Iterable[str]) -> list[registry.Metric]:
    """The registered additive metrics named by `keys`, in that order."""
    found = [registry.get_metric(key) for key in keys]
    return [m for m in found if m is not None and m.additive]


def component_totals(*, actor: Member, metrics: Sequence[registry.Metric], scope: Scope,
                     start: date, end: date, grouping: Grouping) -> dict[Any, Totals]:  # fmt: skip
    """Component totals per group over the members of `scope` that `actor` sees
    (cached under the figures version: no query while it stands)."""
    components = sorted({c for m in metrics for c in m.components})

    def compute() -> dict[Any, Totals]:
        found = selectors.component_totals(actor=actor, scope=scope, components=components,
                                           start=start, end=end,
                                           group_by=grouping)  # type: ignore[arg-type]  # fmt: skip
        if grouping != "month":
            return found
        return {k.replace(day=1) if isinstance(k, date) else k: v for k, v in found.items()}

    parts = (",".join(components), scope.kind, scope.id, start, end, grouping)
    return remember(actor, "totals", parts, compute)


def values(metrics: Sequence[registry.Metric], totals: Totals | None) -> dict[str, Decimal | None]:
    """Each metric's value from one group's totals (None where nothing was recorded
    for a rate; zero for a running total)."""
    found: dict[str, Decimal | None] = {}
    for metric in metrics:
        if totals is None:
            found[metric.key] = Decimal(0) if metric.cumulative else None
            continue
        assert metric.formula is not None
        found[metric.key] = selectors.rounded(metric.formula(totals), metric.unit)
    return found
