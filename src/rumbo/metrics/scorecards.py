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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db.models import Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Bucket, Scope, month_end, team_subtree
from rumbo.metrics.models import RollupDay, RollupMonth, ScorecardMetric
from rumbo.metrics.selectors import split_period
from rumbo.tenancy.models import Member, Role, Team

By = Literal["rep", "team"] | None
HUNDRED = Decimal(100)
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
    (the whole scope); `headcount`: the sellers the targets were scaled by."""

    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    score: Decimal | None
    parts: tuple[Part, ...]
    headcount: int
    team_id: int | None = None


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
    """The actor's organisation's scorecard (everybody may read it): one query."""
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


# Reading the rollups.


def scope_filters(actor: Member, scope: Scope) -> tuple[Q, Q]:
    """(rollup rows, members) of the scope; a team or rep the actor cannot see is
    a 404, like any record."""
    if scope.kind == "org":
        return Q(), Q()
    if scope.id is None:
        raise Http404
    if scope.kind == "rep":
        if not Member.objects.visible_to(actor).filter(pk=scope.id).exists():
            raise Http404
        return Q(member_id=scope.id), Q(pk=scope.id)
    if not Team.objects.visible_to(actor).filter(pk=scope.id).exists():
        raise Http404
    teams = team_subtree(actor.organization_id, scope.id)
    return Q(member__team_id__in=teams), Q(team_id__in=teams)


Totals = dict[str, Decimal]


def _rows(qs: Any, components: Sequence[str]) -> list[tuple[Any, ...]]:
    names = [f"s{i}" for i in range(len(components))]
    sums = {name: Sum(c) for name, c in zip(names, components, strict=True)}
    return list(qs.values("member_id").annotate(**sums).values_list("member_id", *names)
                .order_by())  # fmt: skip


def component_totals(actor: Member, rollup_q: Q, start: date, end: date,
                     components: Sequence[str]) -> dict[int, Totals]:  # fmt: skip
    """Each rep's component totals over [start, end]: month rows for the whole
    months, day rows for the edges; two grouped queries at most."""
    months, edges = split_period(start, end)
    rows: list[tuple[Any, ...]] = []
    if months is not None:
        qs = RollupMonth.objects.visible_to(actor).filter(rollup_q)
        rows += _rows(qs.filter(month__gte=months[0], month__lte=months[1]), components)
    if edges:
        ranges = Q()
        for low, high in edges:
            ranges |= Q(day__gte=low, day__lte=high)
        rows += _rows(RollupDay.objects.visible_to(actor).filter(rollup_q).filter(ranges),
                      components)  # fmt: skip
    totals: dict[int, Totals] = {}
    for member_id, *values in rows:
        found = totals.get(member_id)
        if found is None:
            totals[member_id] = {c: Decimal(v or 0) for c, v in zip(components, values,
                                                                    strict=True)}  # fmt: skip
        else:
            for c, v in zip(components, values, strict=True):
                found[c] += Decimal(v or 0)
    return totals


@dataclass(frozen=True)
class Seller:
    """Who a score row is about: the scope's active reps, and anybody else with
    figures in the period (a manager who sells)."""

    id: int
    name: str
    team_id: int | None


def _sellers(actor: Member, member_q: Q, with_figures: Iterable[int]) -> list[Seller]:
    figures = set(with_figures)
    rows = (Member.objects.visible_to(actor).filter(member_q)
            .values_list("id", "name", "team_id", "role", "is_active"))  # fmt: skip
    return [Seller(pk, name, team) for pk, name, team, role, active in rows
            if (active and role == Role.REP) or pk in figures]  # fmt: skip


def _add(into: Totals, more: Totals) -> None:
    for c, v in more.items():
        into[c] = into.get(c, Decimal(0)) + v


# Scoring.


def _attainment(line: Line, actual: Decimal, target: Decimal) -> Decimal:
    """actual ÷ target (target ÷ actual when lower is better), in %, never below 0."""
    if line.metric.direction == "lower":
        if actual <= 0:
            return line.cap  # nothing on a lower-is-better metric: the best there is
        value = target / actual * HUNDRED
    else:
        value = actual / target * HUNDRED
    return max(value, Decimal(0))


def score_parts(card: Scorecard, totals: Totals, months: Decimal,
                headcount: int) -> tuple[Decimal | None, tuple[Part, ...]]:  # fmt: skip
    """The score (0–100, None when no metric has data) and its breakdown, from
    component totals; cumulative targets scale with `months` and `headcount`."""
    parts, earned, weights = [], Decimal(0), Decimal(0)
    for line in card.lines:
        target = line.target * months * headcount if line.cumulative else line.target
        actual = line.metric.formula(totals) if line.metric.formula else None
        if actual is None or target <= 0:
            parts.append(Part(line.metric, line.weight, target, None, None, Decimal(0), False))
            continue
        attainment = _attainment(line, Decimal(actual), target)
        kept = min(attainment, line.cap)
        points = kept / HUNDRED * line.weight
        earned += points
        weights += line.weight
        parts.append(Part(line.metric, line.weight, target, Decimal(actual), attainment, points,
                          attainment > line.cap))  # fmt: skip
    if not weights:
        return None, tuple(parts)
    score = min(earned / weights * HUNDRED, HUNDRED)
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), tuple(parts)


def _team_names(actor: Member, keys: Iterable[int | None]) -> dict[int | None, str]:
    ids = [k for k in keys if k is not None]
    names: dict[int | None, str] = dict(
        Team.objects.filter(organization_id=actor.organization_id, pk__in=ids)
        .values_list("id", "name")
    )  # fmt: skip
    names[None] = _("No team")
    return names


@dataclass(frozen=True)
class Group:
    """Whose totals one score is computed from."""

    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    totals: Totals
    headcount: int
    team_id: int | None


def groups(actor: Member, member_q: Q, totals: dict[int, Totals], by: By,
           components: Sequence[str]) -> list[Group]:  # fmt: skip
    """The sellers' totals per rep, per team (its own members) or for the whole
    scope (one query for the members, one for the team names)."""
    sellers = _sellers(actor, member_q, totals)
    zero = dict.fromkeys(components, Decimal(0))
    if by == "rep":
        return [Group(s.id, s.name, "rep", totals.get(s.id, zero), 1, s.team_id)
                for s in sellers]  # fmt: skip
    grouped: dict[Any, tuple[Totals, list[int]]] = {}
    for s in sellers:
        group = s.team_id if by == "team" else None
        into, people = grouped.setdefault(group, (dict(zero), []))
        _add(into, totals.get(s.id, zero))
        people.append(s.id)
    if by is None:
        into, people = grouped.get(None, (dict(zero), []))
        return [Group(None, _("All"), "scope", into, len(people), None)]
    names = _team_names(actor, grouped)
    return [Group(key, names.get(key, str(key)), "team", t, len(people), key)
            for key, (t, people) in grouped.items()]  # fmt: skip


def scorecard_scores(*, actor: Member, scope: Scope | None = None, start: date, end: date,
                     by: By = "rep", card: Scorecard | None = None) -> list[Score]:  # fmt: skip
    """Every rep's (by="rep"), team's (by="team": its own members) or the whole
    scope's (by=None) score over [start, end], among the members of `scope`
    the actor may see. A fixed number of queries whatever the number of reps:
    the scorecard, the scope check, two rollup queries, the members, the team
    names. Sorted by score, best first (no data last), then by name."""
    card = card or scorecard_config(actor=actor)
    filters = scope_filters(actor, scope or Scope())
    return scores_for(actor, filters, start, end, by, card)


def scores_for(actor: Member, filters: tuple[Q, Q], start: date, end: date, by: By,
               card: Scorecard) -> list[Score]:  # fmt: skip
    """`scorecard_scores` with the scope's filters already worked out."""
    totals = component_totals(actor, filters[0], start, end, card.components)
    months = months_in(start, end)
    scores = []
    for g in groups(actor, filters[1], totals, by, card.components):
        value, parts = score_parts(card, g.totals, months, max(g.headcount, 1))
        scores.append(Score(g.key, g.name, g.kind, value, parts, g.headcount, g.team_id))
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.name.lower()))
    return scores
