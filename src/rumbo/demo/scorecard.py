"""The demo organisation's scorecard: the default metrics and weights, each
target the stricter of the default and what the demo's top-quarter rep reached
last quarter (the upper quartile, per month for running totals; the lower
quartile where lower is better). The default targets suit a field rep who wins
a few deals a month; the demo's reps sell far more, so on the defaults every
one of them scored 100 and the leaderboard had nothing to rank. Never easier
than the default: a demo whose NPS quartile is low still aims at 30."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.periods import period_bounds
from rumbo.metrics.scorecards import DEFAULTS, previous_period
from rumbo.metrics.selectors import component_totals, rounded
from rumbo.metrics.services import ScorecardLine, scorecard_update
from rumbo.tenancy.models import Member, Organization, Role

HUNDRED = Decimal(100)
LOWEST = Decimal(1)  # a target must be above zero


def demo_scorecard(*, organization: Organization, today: dt.date) -> None:
    admin = Member.objects.filter(organization=organization, role=Role.ADMIN).order_by("pk")[0]
    start, end = previous_period(*period_bounds("quarter", today))
    metrics = {key: registry.METRICS[key] for key, _w, _t in DEFAULTS
               if key in registry.METRICS and registry.METRICS[key].additive}  # fmt: skip
    reps = set(Member.objects.filter(organization=organization, role=Role.REP)
               .values_list("pk", flat=True))  # fmt: skip
    components = [c for metric in metrics.values() for c in metric.components]
    totals = component_totals(actor=admin, scope=Scope(), components=components, start=start,
                              end=end, group_by="rep")  # through the one rollup reader  # fmt: skip
    per_rep = [{key: rounded(metric.formula(found), metric.unit)  # type: ignore[misc]
                for key, metric in metrics.items()}
               for rep, found in totals.items() if rep in reps]  # fmt: skip
    lines = [
        ScorecardLine(metric=key, weight=Decimal(weight), target=_target(
            metrics[key], Decimal(default), [v for row in per_rep if (v := row[key]) is not None]))
        for key, weight, default in DEFAULTS if key in metrics
    ]  # fmt: skip
    scorecard_update(actor=admin, lines=lines)


def _target(metric: registry.Metric, default: Decimal, seen: list[Decimal]) -> Decimal:
    """The top-quarter rep's figure (per month for a running total over the
    quarter), or the default where that is stricter."""
    if not seen:
        return default
    lower = metric.direction == "lower"
    quartiles = statistics.quantiles(seen, n=4) if len(seen) > 1 else [seen[0]] * 3
    top = Decimal(quartiles[0] if lower else quartiles[2]) / (3 if metric.cumulative else 1)
    top = top.quantize(Decimal(1) if metric.cumulative else Decimal("0.1"), ROUND_HALF_UP)
    target = max(min(top, default) if lower else max(top, default), LOWEST)
    return min(target, HUNDRED) if metric.unit == "percent" else target
