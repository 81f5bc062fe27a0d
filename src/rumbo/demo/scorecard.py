"""The demo organisation's scorecard: the default metrics and weights, with
each target a little above what its median rep reached last quarter (per
month for running totals). The default targets suit a field rep who wins a
few deals a month; the demo's reps sell far more, so on the defaults every one
of them scored 100 and the leaderboard had nothing to rank."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

from rumbo.dashboards.figures import component_totals, metrics_of, values
from rumbo.metrics.evaluation import Scope, add_months
from rumbo.metrics.scorecards import DEFAULTS
from rumbo.metrics.services import ScorecardLine, scorecard_update
from rumbo.tenancy.models import Member, Organization, Role

STRETCH = Decimal("1.1")  # the median rep reaches about nine tenths of each target
HUNDRED = Decimal(100)
LOWEST = Decimal(1)  # a target must be above zero (an NPS median can be negative)


def demo_scorecard(*, organization: Organization, today: dt.date) -> None:
    admin = Member.objects.filter(organization=organization, role=Role.ADMIN).order_by("pk")[0]
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start, end = add_months(first, -3), first - dt.timedelta(days=1)
    metrics = metrics_of([key for key, _weight, _target in DEFAULTS])
    reps = set(Member.objects.filter(organization=organization, role=Role.REP)
               .values_list("pk", flat=True))  # fmt: skip
    totals = component_totals(actor=admin, metrics=metrics, scope=Scope(), start=start, end=end,
                              grouping="rep")  # fmt: skip
    per_rep = [values(metrics, found) for rep, found in totals.items() if rep in reps]
    lines = []
    by_key = {metric.key: metric for metric in metrics}
    for key, weight, default in DEFAULTS:
        metric = by_key.get(key)
        if metric is None:
            continue
        seen = [value for row in per_rep if (value := row[key]) is not None]
        if not seen:
            target = Decimal(default)
        else:
            median = Decimal(statistics.median(seen)) / (3 if metric.cumulative else 1)
            better = median / STRETCH if metric.direction == "lower" else median * STRETCH
            places = Decimal(1) if metric.cumulative else Decimal("0.1")
            target = max(better.quantize(places, ROUND_HALF_UP), LOWEST)
            if metric.unit == "percent":
                target = min(target, HUNDRED)  # a share cannot be beaten past all of it
        lines.append(ScorecardLine(metric=key, weight=Decimal(weight), target=target))
    scorecard_update(actor=admin, lines=lines)
