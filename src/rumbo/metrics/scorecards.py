"""Reads of the balanced scorecard: the organisation's configuration, every
rep's and team's 0–100 score with its breakdown, and leaderboards ranking reps
or teams by score or by any additive metric, with their movement since the
previous period.

Everything comes from the rollups, in a fixed number of queries whatever the
number of reps: the components every scorecard metric needs are summed per rep
in one grouped query on the month rollups (the whole months of the period) and
one on the day rollups (its ragged edges); teams and the whole scope are added
up from the reps' totals in Python. How a score is computed, and why, is in
docs/metrics.md ("Scorecard"), docs/decisions/0005-scorecard-scoring.md and
0012-one-number-and-balanced-score.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Literal

from django.db.models import Q

from rumbo.metrics import registry, score_math
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
from rumbo.metrics.targets import Owner, PeriodTargets, Source, Target, period_targets
from rumbo.tenancy.models import Member

HUNDRED = Decimal(100)
ZERO = Decimal(0)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Line:
    """One metric of the scorecard. `target` is per rep per month for a metric
    that accumulates (see `Metric.period_target`), the figure itself for a
    rate; a goal on the same metric, owner and period overrides it (targets.py)."""

    metric: registry.Metric
    weight: Decimal
    target: Decimal

    @property
    def cumulative(self) -> bool:
        return self.metric.cumulative


@dataclass(frozen=True)
class Scorecard:
    """The organisation's scorecard; `configured` is False when it runs on the defaults."""

    lines: tuple[Line, ...]
    configured: bool

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for line in self.lines for c in line.metric.components))

    @property
    def metric_keys(self) -> tuple[str, ...]:
        return tuple(line.metric.key for line in self.lines)

    @property
    def total_weight(self) -> Decimal:
        return sum((line.weight for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Part:
    """One metric in a score's breakdown. `actual` None means no data (a rate with
    nothing to divide by): the metric is left out. `attainment` is in % as
    achieved; `credit` is what the score counts (attainment capped at 100);
    `lift` is how many points the score would gain were this target met;
    `source` says where the target came from ("goal" or "scorecard")."""

    metric: registry.Metric
    weight: Decimal
    target: Decimal
    actual: Decimal | None
    attainment: Decimal | None
    credit: Decimal | None
    lift: Decimal
    source: Source

    @property
    def no_data(self) -> bool:
        return self.actual is None

    @property
    def met(self) -> bool:
        return self.credit is not None and self.credit >= HUNDRED

    @property
    def family(self) -> str:
        return self.metric.family


@dataclass(frozen=True)
class Score:
    """A rep's, a team's or a whole scope's score (0–100, None when no metric of
    the scorecard has data) and its breakdown. `key`: member id, team id, or None
    (the whole scope); `headcount`: the sellers the targets were scaled by;
    `owner`: whose goals are its targets. The breakdown is worked out when
    first read (a leaderboard of 10,000 reps shows 25 of them)."""

    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    score: Decimal | None
    headcount: int
    team_id: int | None
    card: Scorecard = field(repr=False, compare=False)
    totals: Totals = field(repr=False, compare=False)
    targets: PeriodTargets = field(repr=False, compare=False)
    owner: Owner | None = field(default=None, repr=False, compare=False)

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        return score_parts(self.card, self.totals, self.targets, self.owner,
                           max(self.headcount, 1))[1]  # fmt: skip

    @property
    def biggest_lift(self) -> Part | None:
        """The metric whose target, met, would lift the score most (None: all met)."""
        best = max(self.parts, key=lambda p: p.lift, default=None)
        return best if best is not None and best.lift > 0 else None

    @property
    def halves(self) -> dict[str, Decimal | None]:
        """The quantity and quality halves (weighted mean credit, 0–100)."""
        found: dict[str, Decimal | None] = {}
        for family in ("quantity", "quality"):
            mine = [p for p in self.parts if p.family == family and p.credit is not None]
            weight = sum((p.weight for p in mine), ZERO)
            found[family] = (sum((p.credit * p.weight for p in mine if p.credit is not None),
                                 ZERO) / weight).quantize(TENTH) if weight else None  # fmt: skip
        return found


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
            lines.append(Line(metric, row.weight, row.target))
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


def score_parts(card: Scorecard, totals: Totals, targets: PeriodTargets, owner: Owner | None,
                headcount: int) -> tuple[Decimal | None, tuple[Part, ...]]:  # fmt: skip
    """The score (0–100, None when no metric has data) and its breakdown, from
    component totals; each target from `targets` (the owner's goal, else the
    scorecard's, scaled). The score is `group_scores`'s (the same credits), and
    each part's lift is what meeting its target would add to it."""
    exact = {c: Decimal(v) for c, v in totals.items()}
    rows: list[tuple[Line, Target, Decimal | None, float | None]] = []
    tally = score_math.Tally()
    for line in card.lines:
        target = targets.target(line.metric, line.target, owner, headcount)
        actual = line.metric.formula(exact) if line.metric.formula else None
        lower = line.metric.direction == "lower"
        given = score_math.credits([None if actual is None else float(actual)],
                                   float(target.value), lower)[0]  # fmt: skip
        tally.add(score_math.half_of(line.metric.family), float(line.weight), given)
        rows.append((line, target, actual, given))
    score = tally.score()
    parts = []
    for i, (line, target, actual, given) in enumerate(rows):
        lift = ZERO
        if given is not None and given < score_math.FULL and score is not None:
            if_met = score_math.Tally()
            for j, (other, _t, _a, value) in enumerate(rows):
                if_met.add(score_math.half_of(other.metric.family), float(other.weight),
                           score_math.FULL if i == j else value)  # fmt: skip
            lift = max((if_met.score() or ZERO) - score, ZERO)
        parts.append(Part(line.metric, line.weight, target.value,
                          None if given is None else actual, _attainment(line, target, actual),
                          None if given is None else Decimal(given).quantize(TENTH), lift,
                          target.source))  # fmt: skip
    return score, tuple(parts)


def _attainment(line: Line, target: Target, actual: Decimal | None) -> Decimal | None:
    """Attainment in % as achieved (uncapped): actual ÷ target, or target ÷
    actual when lower is better (nothing at all there: 100, the target met)."""
    if actual is None or target.value <= 0:
        return None
    if line.metric.direction == "lower":
        return HUNDRED if actual <= 0 else target.value / actual * HUNDRED
    return max(actual / target.value * HUNDRED, ZERO)


def _line_credits(line: Line, found: Sequence[Group], targets: PeriodTargets,
                  owners: Sequence[Owner | None]) -> list[float | None]:  # fmt: skip
    """One metric's credit for every group (None: no data), in floating point."""
    formula = line.metric.formula
    assert formula is not None
    metric, lower = line.metric, line.metric.direction == "lower"
    actuals = [None if (a := formula(g.totals)) is None else float(a) for g in found]
    heads = {g.headcount for g in found}
    with_goals = any(k[0] == metric.key for k in targets.goals)
    if not with_goals and (not metric.accumulates or len(heads) <= 1):  # one target for all
        head = next(iter(heads), 1)
        base = float(targets.target(metric, line.target, None, head).value)
        return score_math.credits(actuals, base, lower)
    values = [float(targets.target(metric, line.target, o, g.headcount).value)
              for g, o in zip(found, owners, strict=True)]  # fmt: skip
    return [score_math.credits([a], t, lower)[0] for a, t in zip(actuals, values, strict=True)]


def group_scores(card: Scorecard, found: Sequence[Group], targets: PeriodTargets,
                 owners: Sequence[Owner | None]) -> list[Decimal | None]:  # fmt: skip
    """Each group's score (score_math: credits capped at 100, the weighted
    geometric mean of the quantity and quality halves), metric by metric over
    all groups (None when no metric has data)."""
    n = len(found)
    earned = ([0.0] * n, [0.0] * n)
    weights = ([0.0] * n, [0.0] * n)
    missed = [False] * n
    for line in card.lines:
        given = _line_credits(line, found, targets, owners)
        half, w = score_math.half_of(line.metric.family), float(line.weight)
        earned[half][:] = [e if c is None else e + w * c
                           for e, c in zip(earned[half], given, strict=True)]  # fmt: skip
        weights[half][:] = [t if c is None else t + w
                            for t, c in zip(weights[half], given, strict=True)]  # fmt: skip
        missed = [m or (c is not None and c < score_math.FULL)
                  for m, c in zip(missed, given, strict=True)]  # fmt: skip
    combine = score_math.combine
    return [combine((eq, el), (wq, wl), m) for eq, el, wq, wl, m
            in zip(earned[0], earned[1], weights[0], weights[1], missed, strict=True)]  # fmt: skip


def owners_of(found: Sequence[Group], by: By, scope: Scope,
              targets: PeriodTargets) -> list[Owner | None]:  # fmt: skip
    """Whose goals are each group's targets: a rep's own; a team row's (its
    own members) when no team sits below it; the scope's for the whole scope."""
    if by == "rep":
        return [("rep", g.key) for g in found]
    if by == "team":
        return [targets.team_owner(g.key) for g in found]
    owner: Owner = ("org", None) if scope.kind == "org" else (scope.kind, scope.id)
    return [owner] * len(found)


def targets_of(actor: Member, card: Scorecard, start: date, end: date) -> PeriodTargets:
    """The period's targets for the scorecard's metrics (one query)."""
    return period_targets(actor.organization_id, start, end, card.metric_keys,
                          months_in(start, end))  # fmt: skip


def scorecard_scores(*, actor: Member, scope: Scope | None = None, start: date, end: date,
                     by: By = "rep", card: Scorecard | None = None) -> list[Score]:  # fmt: skip
    """Every rep's (by="rep"), team's (by="team": its own members) or the whole
    scope's (by=None) score over [start, end], among the members of `scope`
    the actor may see. A fixed number of queries whatever the number of reps:
    the scorecard, the scope check, the period's goals, two rollup queries,
    the members, the team names. Sorted by score, best first (no data last),
    then by name."""
    scope = scope or Scope()
    if card is not None:
        return scores_for(actor, scope, scope_filters(actor, scope), start, end, by, card)

    def compute() -> list[Score]:
        own = scorecard_config(actor=actor)
        return scores_for(actor, scope, scope_filters(actor, scope), start, end, by, own)

    return remember(actor, "scores", (start, end, by, scope.kind, scope.id), compute)


def scores_for(actor: Member, scope: Scope, filters: tuple[Q, Q], start: date, end: date,
               by: By, card: Scorecard) -> list[Score]:  # fmt: skip
    """`scorecard_scores` with the scope's filters already worked out."""
    people = people_in(actor, filters[1])
    totals = component_totals(actor, filters[0], start, end, card.components, people)
    targets = targets_of(actor, card, start, end)
    found = groups(actor, people, totals, by, card.components)
    owners = owners_of(found, by, scope, targets)
    values = group_scores(card, found, targets, owners)
    scores = [Score(g.key, g.name, g.kind, value, g.headcount, g.team_id, card, g.totals,
                    targets, owner)
              for g, value, owner in zip(found, values, owners, strict=True)]  # fmt: skip
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.name.lower()))
    return scores
