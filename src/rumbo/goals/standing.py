"""Where a rep stands on the metric of a goal they proposed, for whoever
reviews it: the value of the goal's own period so far and of the periods of
the same length before it. Read from the rollups the reader may see, through
the metrics' one reader (metrics.totals): at most two queries a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rumbo.goals.models import Goal
from rumbo.goals.progress import local_today
from rumbo.metrics import registry, totals
from rumbo.metrics.evaluation import add_months, month_end
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.periods import EARLIEST
from rumbo.metrics.selectors import rounded
from rumbo.tenancy.models import Member

# How many earlier periods the review shows.
HISTORY_PERIODS = 4


@dataclass(frozen=True)
class PeriodValue:
    start: date
    end: date
    value: Decimal | None  # None: a rate with nothing to divide by


@dataclass(frozen=True)
class Standing:
    metric: registry.Metric
    current: PeriodValue | None  # the goal's period up to today; None before it starts
    history: list[PeriodValue]  # the periods before the goal's, most recent first

    @property
    def best(self) -> Decimal | None:
        """The best of the earlier periods, by the metric's direction."""
        values = [p.value for p in self.history if p.value is not None]
        if not values:
            return None
        return max(values) if self.metric.direction == "higher" else min(values)


def earlier_periods(start: date, end: date, count: int) -> list[tuple[date, date]]:
    """The `count` periods of the same length just before [start, end], most
    recent first: whole calendar months when the goal spans whole months (a
    quarter before a quarter), else the same number of days."""
    spans = []
    if start.day == 1 and end == month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        for k in range(1, count + 1):
            first = add_months(start, -k * months)
            spans.append((first, month_end(add_months(first, months - 1))))
    else:
        length = timedelta(days=(end - start).days + 1)
        spans = [(start - k * length, end - k * length) for k in range(1, count + 1)]
    return [(first, last) for first, last in spans if first >= EARLIEST]


def standing(goal: Goal, reader: Member) -> Standing:
    """The goal's rep on its metric: so far in its period, and before it."""
    metric = goal.definition
    rep = goal.member_id
    assert metric.formula is not None and rep is not None  # a rep's goal on an additive metric
    components = list(metric.components)
    months = RollupMonth.objects.visible_to(reader).filter(member_id=rep)
    days = RollupDay.objects.visible_to(reader).filter(member_id=rep)

    def value(first: date, last: date) -> PeriodValue:
        rows = totals.period_rows(months, days, first, last, components, None)
        found = totals.merge(rows, components).get(None) or dict.fromkeys(components, Decimal(0))
        return PeriodValue(first, last, rounded(metric.formula(found), metric.unit))  # type: ignore[misc]

    today = local_today(goal.organization)
    current = value(goal.start, min(today, goal.end)) if goal.start <= today else None
    history = [value(first, last) for first, last in
               earlier_periods(goal.start, goal.end, HISTORY_PERIODS)]  # fmt: skip
    return Standing(metric, current, history)
