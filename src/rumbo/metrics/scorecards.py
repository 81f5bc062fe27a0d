"""Reads of the balanced scorecard: the organisation's configuration, every
rep's and team's 0–100 score with its breakdown, and leaderboards ranking reps
or teams by score or by any additive metric, with their movement since the
previous period.

Everything comes from the rollups, in a fixed number of queries whatever the
number of reps: the components every scorecard metric needs are summed per rep
in one grouped query on the month rollups (the whole months of the period) and
one on the day rollups (its ragged edges); teams and the whole scope are added
up from the reps' totals in Python. How a score is computed, and why, is in
docs/metrics.md ("Scorecard") and docs/decisions/0005-scorecard-scoring.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Literal

from django.db.models import Q

from rumbo.metrics import registry
from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Bucket, Scope, month_end
from rumbo.metrics.models import ScorecardMetric
from rumbo.metrics.people_totals import (
    By,
    Group,
    Totals,
    component_totals,
    groups,
    people_in,
    scope_filters,
)
from rumbo.tenancy.models import Member

HUNDRED = Decimal(100)
ZERO = Decimal(0)
TENTH = Decimal("0.1")
# Units whose figure adds up over time and people: their target is per rep per month.
CUMULATIVE_UNITS = ("money", "count")
DEFAULT_CAP = Decimal(150)


@dataclass(frozen=True)
class Line:
    """One metric of the scorecard. `target` is per rep per month for money and
    counts (see `cumulative`), the figure itself for rates and scores; `cap` is
    the highest attainment (in %) that earns points."""

    metric: registry.Metric
    weight: Decimal
    target: Decimal
    cap: Decimal = DEFAULT_CAP

    @property
    def cumulative(self) -> bool:
        return self.metric.unit in CUMULATIVE_UNITS


@dataclass(frozen=True)
class Scorecard:
    """The organisation's scorecard; `configured` is False when it runs on the defaults."""

    lines: tuple[Line, ...]
    configured: bool

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for line in self.lines for c in line.metric.components))

    @property
    def total_weight(self) -> Decimal:
        return sum((line.weight for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Part:
    """One metric in a score's breakdown. `actual` None means no data (a rate with
    nothing to divide by): the metric is left out and the other weights count
    for the whole. `attainment` is in % before the cap; `points` after it."""

    metric: registry.Metric
    weight: Decimal
    target: Decimal
    actual: Decimal | None
    attainment: Decimal | None
    points: Decimal
    capped: bool

    @property
    def no_data(self) -> bool:
        return self.actual is None


@dataclass(frozen=True)
class Score:
    """A rep's, a team's or a whole scope's score (0–100, None when no metric of
    the scorecard has data) and its breakdown. `key`: member id, team id, or None
    (the whole scope); `headcount`: the sellers the targets were scaled by.
    The breakdown is worked out when first read (a leaderboard of 10,000 reps
    shows 25 of them)."""

    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    score: Decimal | None
    headcount: int
    team_id: int | None
    card: Scorecard = field(repr=False, compare=False)
    totals: Totals = field(repr=False, compare=False)
    months: Decimal = field(repr=False, compare=False)

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        return score_parts(self.card, self.totals, self.months, max(self.headcount, 1))[1]


# Defaults: half quantity, half quality, with targets an ordinary field or
# inside-sales rep can reach; no revenue, whose target depends on what the
# organisation sells and in which currency. docs/metrics.md says why each.
DEFAULTS: tuple[tuple[str, int, int], ...] = (
    ("deals_won", 25, 4),  # four won deals per rep per month
    ("win_rate", 15, 30),  # three in ten closed deals won
    ("activities", 10, 40),  # about two customer touches per working day
    ("csat", 20, 80),  # eight in ten customers satisfied (4–5 of 5)
    ("nps", 10, 30),  # a good NPS in B2B sales
    ("repeat_rate", 10, 25),  # a quarter of won deals from returning customers
    ("complaint_rate", 10, 5),  # at most five complaints per 100 deals won
)


def default_scorecard() -> Scorecard:
    lines = [Line(registry.METRICS[key], Decimal(weight), Decimal(target))
             for key, weight, target in DEFAULTS if key in registry.METRICS]  # fmt: skip
    return Scorecard(tuple(lines), configured=False)


def scorecard_config(*, actor: Member) -> Scorecard:
    """The actor's organisation's scorecard (everybody may read it): one query,
    none while its figures version stands (`scorecard_update` moves it)."""
    return remember(actor, "scorecard", (), lambda: _scorecard_config(actor), shared=True)


def _scorecard_config(actor: Member) -> Scorecard:
    rows = list(ScorecardMetric.objects.visible_to(actor))
    lines = []
    for row in rows:
        metric = registry.get_metric(row.metric)
        if metric is not None and metric.additive:  # a metric since unregistered drops out
            lines.append(Line(metric, row.weight, row.target, row.cap))
    if not lines:
        return default_scorecard()
    return Scorecard(tuple(lines), configured=True)


# Periods.


def months_in(start: date, end: date) -> Decimal:
    """The period's length in months: each calendar month counts for the share
    of its days inside the period (a quarter is 3, the first half of April 0.5)."""
    total, cursor = Decimal(0), start
    while cursor <= end:
        last_of_month = month_end(cursor)
        last = min(last_of_month, end)
        if cursor.day == 1 and last == last_of_month:
            total += 1
        else:
            total += Decimal((last - cursor).days + 1) / Decimal(last_of_month.day)
        cursor = _next_month(cursor.replace(day=1))
    return total


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period before, of the same length (whole months: as many months)."""
    return Bucket(None, start, end).previous()


# Scoring.


def score_parts(card: Scorecard, totals: Totals, months: Decimal,
                headcount: int) -> tuple[Decimal | None, tuple[Part, ...]]:  # fmt: skip
    """The score (0–100, None when no metric has data) and its breakdown, from
    component totals; cumulative targets scale with `months` and `headcount`.
    A metric without data is left out: the other weights count for the whole.
    The breakdown is exact (Decimal); the score is `group_scores`'s."""
    exact = {c: Decimal(v) for c, v in totals.items()}
    parts = []
    for line in card.lines:
        target = line.target * months * headcount if line.cumulative else line.target
        actual = line.metric.formula(exact) if line.metric.formula else None
        if actual is None or target <= 0:
            parts.append(Part(line.metric, line.weight, target, None, None, ZERO, False))
            continue
        if line.metric.direction == "lower":
            attainment = line.cap if actual <= 0 else target / actual * HUNDRED
        else:
            attainment = max(actual / target * HUNDRED, ZERO)
        points = min(attainment, line.cap) * line.weight / HUNDRED
        parts.append(Part(line.metric, line.weight, target, actual, attainment, points,
                          attainment > line.cap))  # fmt: skip
    group = Group(None, "", "scope", totals, headcount, None)
    return group_scores(card, [group], months)[0], tuple(parts)


def _line_points(line: Line, found: Sequence[Group], months: Decimal) -> list[float | None]:
    """Capped attainment (in %) × weight of one metric for every group (None: no
    data): actual ÷ target, or target ÷ actual when lower is better, never below
    0 nor above the cap; nothing at all on a lower-is-better metric (no
    complaint) is the best there is: the cap. In floating point, in
    comprehensions: this runs once per metric for 10,000 reps."""
    formula = line.metric.formula
    assert formula is not None
    weight, cap_w = float(line.weight), float(line.cap * line.weight)
    actuals = [None if (a := formula(g.totals)) is None else float(a) for g in found]
    base = float(line.target * months if line.cumulative else line.target)
    if line.cumulative and any(g.headcount > 1 for g in found):  # teams: one target each
        targets = [base * max(g.headcount, 1) for g in found]
    elif base > 0:
        if line.metric.direction == "lower":
            top = 100 * weight * base
            return [None if a is None else cap_w if a <= 0 else min(top / a, cap_w)
                    for a in actuals]  # fmt: skip
        factor = 100 * weight / base
        return [None if a is None else 0.0 if a <= 0 else min(a * factor, cap_w)
                for a in actuals]  # fmt: skip
    else:
        targets = [base] * len(found)
    lower = line.metric.direction == "lower"
    return [None if a is None or t <= 0 else
            (cap_w if a <= 0 else min(100 * weight * t / a, cap_w)) if lower else
            (0.0 if a <= 0 else min(a * (100 * weight / t), cap_w))
            for a, t in zip(actuals, targets, strict=True)]  # fmt: skip


def group_scores(card: Scorecard, found: Sequence[Group], months: Decimal) -> list[Decimal | None]:
    """Each group's score: Σ(capped attainment × weight) ÷ Σ weight over the
    metrics with data, clipped at 100, to one decimal (None when no metric has
    data). A score is an index, not an amount: floating point is exact enough
    and twice as fast as Decimal for 10,000 reps (ADR 0005)."""
    earned, weights = [0.0] * len(found), [0.0] * len(found)
    for line in card.lines:
        points, weight = _line_points(line, found, months), float(line.weight)
        earned = [e if p is None else e + p for e, p in zip(earned, points, strict=True)]
        weights = [w if p is None else w + weight for w, p in zip(weights, points, strict=True)]
    return [None if not w else Decimal(min(e / w, 100.0)).quantize(TENTH, ROUND_HALF_UP)
            for e, w in zip(earned, weights, strict=True)]  # fmt: skip


def scorecard_scores(*, actor: Member, scope: Scope | None = None, start: date, end: date,
                     by: By = "rep", card: Scorecard | None = None) -> list[Score]:  # fmt: skip
    """Every rep's (by="rep"), team's (by="team": its own members) or the whole
    scope's (by=None) score over [start, end], among the members of `scope`
    the actor may see. A fixed number of queries whatever the number of reps:
    the scorecard, the scope check, two rollup queries, the members, the team
    names. Sorted by score, best first (no data last), then by name."""
    scope = scope or Scope()
    if card is not None:
        return scores_for(actor, scope_filters(actor, scope), start, end, by, card)

    def compute() -> list[Score]:
        own = scorecard_config(actor=actor)
        return scores_for(actor, scope_filters(actor, scope), start, end, by, own)

    return remember(actor, "scores", (start, end, by, scope.kind, scope.id), compute)


def scores_for(actor: Member, filters: tuple[Q, Q], start: date, end: date, by: By,
               card: Scorecard) -> list[Score]:  # fmt: skip
    """`scorecard_scores` with the scope's filters already worked out."""
    people = people_in(actor, filters[1])
    totals = component_totals(actor, filters[0], start, end, card.components, people)
    months = months_in(start, end)
    found = groups(actor, people, totals, by, card.components)
    values = group_scores(card, found, months)
    scores = [Score(g.key, g.name, g.kind, value, g.headcount, g.team_id, card, g.totals, months)
              for g, value in zip(found, values, strict=True)]  # fmt: skip
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.name.lower()))
    return scores
