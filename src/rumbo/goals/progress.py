"""Recording progress: every active goal's value, pace, forecast, probability
and status at the end of a day, for many goals in one batch (the daily job),
and a new goal's history back to its start (so its timeline starts filled).

Goals are grouped by the period they have run so far; each distinct period
costs two rollup queries, and the forecasts' weekly history one more, so an
organisation's 200,000 goals cost a handful of queries, whatever their number."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rumbo.goals import actuals, store
from rumbo.goals.forecast import (
    LONG_WINDOWS,
    LOOKBACK_WEEKS,
    History,
    Outlook,
    Plan,
    Pool,
    expected_on,
    long_months,
    outlook,
    shape_of,
)
from rumbo.goals.models import Goal, Milestone, Progress, State
from rumbo.goals.season import YEARS, Season
from rumbo.goals.signals import progress_recorded
from rumbo.metrics import registry
from rumbo.tenancy.models import Member, Organization
from rumbo.tenancy.services import figures_changed
from rumbo.tenancy.tree import TeamTree

CENT = Decimal("0.01")
ZERO = Decimal(0)
# Goals that ended up to this many days ago still get their final row, so a
# job that missed a day or two does not leave a goal without its outcome.
CATCH_UP_DAYS = 7
# The organisation's seasons are read from about this many sellers (a sample).
SEASON_SELLERS = 400


def local_today(organization: Organization) -> date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(organization.time_zone)).date()


def plan_of(goal: Goal, milestones: Iterable[Milestone] | None = None) -> Plan:
    metric = goal.definition
    stones = goal.milestones.all() if milestones is None else milestones
    return Plan(start=goal.start, end=goal.end, target=goal.target, cumulative=metric.cumulative,
                higher_is_better=metric.direction == "higher",
                milestones=tuple((m.day, m.target) for m in stones))  # fmt: skip


@dataclass
class People:
    """Who each goal's figures cover: a rep, a team's subtree, or everyone.
    The organisation's members and team tree are read once (two queries)."""

    by_team: dict[int | None, list[int]]
    tree: TeamTree
    subtrees: dict[int, list[int]]

    @classmethod
    def load(cls, organization_id: int) -> People:
        by_team: dict[int | None, list[int]] = defaultdict(list)
        for pk, team_id in Member.objects.filter(organization_id=organization_id).values_list(
            "id", "team_id"
        ):
            by_team[team_id].append(pk)
        return cls(by_team, TeamTree.load(organization_id), {})

    def _members_below(self, team_id: int) -> list[int]:
        return [pk for team in self.tree.below(team_id) for pk in self.by_team.get(team, [])]

    def of(self, member_id: int | None, team_id: int | None,
           organization_id: int) -> tuple[tuple[object, ...], list[int] | None]:  # fmt: skip
        if member_id:
            return ("rep", member_id), [member_id]
        if team_id:
            if team_id not in self.subtrees:
                self.subtrees[team_id] = self._members_below(team_id)
            return ("team", team_id), self.subtrees[team_id]
        return ("org",), None


class GoalRow(NamedTuple):
    """What the batch reads of a goal (no model instances: 200,000 of them cost seconds)."""

    id: int
    metric: str
    member_id: int | None
    team_id: int | None
    target: Decimal
    start: date
    end: date


def _sum(rows: dict[int, actuals.Totals], members: list[int] | None,
         components: tuple[str, ...]) -> dict[str, Decimal]:  # fmt: skip
    if members is not None and len(members) == 1:  # a rep's goal: nothing to add up
        mine = rows.get(members[0])
        return {c: mine.get(c, ZERO) for c in components} if mine else _zeros(components)
    totals = _zeros(components)
    picked = rows.values() if members is None else (rows[m] for m in members if m in rows)
    for row in picked:
        for c in components:
            totals[c] += row.get(c, ZERO)
    return totals


def _value(metric: registry.Metric, totals: dict[str, Decimal]) -> Decimal | None:
    assert metric.formula is not None
    value = metric.formula(totals)
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _weeks_of(weekly: dict[int, actuals.Weeks], members: list[int] | None,
              length: int = LOOKBACK_WEEKS) -> actuals.Weeks:  # fmt: skip
    """The component totals week by week for these members (everyone: None),
    None for a week without any row (History.of reads leading ones as weeks
    before the owner started, later ones as weeks of zeros)."""
    owners = weekly.keys() if members is None else [m for m in members if m in weekly]
    if len(owners) == 1:  # a rep's goal: no sums to make
        return weekly[next(iter(owners))]
    weeks: actuals.Weeks = [None] * length
    for owner in owners:
        for i, row in enumerate(weekly[owner]):
            if row is None:
                continue
            into = weeks[i]
            if into is None:
                weeks[i] = dict(row)
            else:
                for c, v in row.items():
                    into[c] += v
    return weeks


class Forecasting:
    """The owners' histories and each metric's pool of peers (every member
    with records in the weeks read), computed once per batch and shared by
    every goal on the same owner and metric. With the organisation and day,
    also the seasons and the longer windows of goals with many weeks left,
    read from the monthly rollups when first asked for (ADR 0014)."""

    def __init__(self, weekly: dict[int, actuals.Weeks], organization_id: int | None = None,
                 day: date | None = None, components: Iterable[str] = ()) -> None:  # fmt: skip
        self.weekly = weekly
        self.histories: dict[tuple[object, ...], History] = {}
        self.pools: dict[str, Pool | None] = {}
        self.where = (organization_id, day, list(components))
        self.monthly: tuple[date, dict[int, actuals.Weeks]] | None = None
        self.sampled: tuple[date, dict[int, actuals.Weeks]] | None = None
        self.seasons: dict[str, Season | None] = {}
        self.longer: dict[tuple[object, ...], History] = {}

    def season(self, metric: registry.Metric) -> Season | None:
        """The organisation's seasons for the metric, from a sample of its
        sellers' months (and the month before, to tell a ramp from a season)."""
        organization_id, day, components = self.where
        if organization_id is None or day is None:
            return None
        if metric.key not in self.seasons:
            if self.sampled is None:
                people = Member.objects.filter(organization_id=organization_id).count()
                every = max(1, -(-people // SEASON_SELLERS))
                self.sampled = actuals.monthly_totals(organization_id, day, components,
                                                      12 * YEARS + 1, every)  # fmt: skip
            first, rows = self.sampled
            shape = shape_of(metric)
            sellers = (([None if m is None else shape.flow(m) for m in months[1:]],
                        months[0] is not None) for months in rows.values())  # fmt: skip
            self.seasons[metric.key] = Season.of(sellers, _month_after(first, 1))
        return self.seasons[metric.key]

    def history_until(self, owner: tuple[object, ...], members: list[int] | None,
                      metric: registry.Metric, day: date, end: date) -> History:  # fmt: skip
        """The owner's history for a goal ending on `end`: lengthened to whole
        months when it has more weeks left than the recent ones (long_months)."""
        seen = self.history(owner, members, metric)
        count = long_months(day, end)
        organization_id, today, components = self.where
        if not count or organization_id is None or today is None:
            return seen
        key = (owner, metric.key, count)
        found = self.longer.get(key)
        if found is None:
            most = LONG_WINDOWS[-1][1]
            if self.monthly is None:
                self.monthly = actuals.monthly_totals(organization_id, today, components, most)
            first, rows = self.monthly
            months = _weeks_of(rows, members, most)[most - count :]
            found = self.longer[key] = seen.over_months(shape_of(metric),
                                                        _month_after(first, most - count),
                                                        months)  # fmt: skip
        return found

    def history(self, owner: tuple[object, ...], members: list[int] | None,
                metric: registry.Metric) -> History:  # fmt: skip
        key = (owner, metric.key)
        seen = self.histories.get(key)
        if seen is None:
            seen = History.of(_weeks_of(self.weekly, members), shape_of(metric))
            self.histories[key] = seen
        return seen

    def pool(self, metric: registry.Metric, owner: tuple[object, ...]) -> Pool | None:
        """A rep is pooled with their peers; a team's or the organisation's
        running total is not (its scale is not a rep's), its rate is."""
        if owner[0] != "rep" and metric.cumulative:
            return None
        if metric.key not in self.pools:
            peers = (self.history(("rep", m), [m], metric) for m in self.weekly)
            self.pools[metric.key] = Pool.of(peers, metric.cumulative)
        return self.pools[metric.key]


def _month_after(month: date, count: int) -> date:
    year, index = divmod(month.month - 1 + count, 12)
    return date(month.year + year, index + 1, 1)


def _zeros(components: Iterable[str]) -> dict[str, Decimal]:
    return dict.fromkeys(components, ZERO)


def _row(goal_id: int, day: date, seen: Outlook, expected: Decimal | None) -> store.Row:
    """A progress row; the value, forecast and band are already in cents,
    `expected` is the pace in cents (goals with the same plan share it)."""
    probability = None if seen.probability is None else round(seen.probability, 4)
    return (goal_id, day, seen.actual, expected, seen.forecast, seen.low, seen.high,
            probability, seen.status)  # fmt: skip


def _cent(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def goals_recompute(*, organization: Organization, day: date | None = None,
                    goal_ids: Iterable[int] | None = None) -> int:  # fmt: skip
    """Record every active goal's progress at the end of `day` (default: the
    organisation's today); a goal that has ended gets its final row. Returns
    the number of goals recorded. Idempotent: a second run rewrites the same rows."""
    day = day or local_today(organization)
    goals = Goal.objects.filter(organization=organization, state=State.ACTIVE, start__lte=day,
                                end__gte=day - timedelta(days=CATCH_UP_DAYS))  # fmt: skip
    if goal_ids is not None:
        goals = goals.filter(pk__in=list(goal_ids))
    fields = ("id", "metric", "member_id", "team_id", "target", "start", "end")
    listed: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for goal_id, stone_day, target in Milestone.objects.filter(goal__in=goals).values_list(
        "goal_id", "day", "target"
    ):
        listed[goal_id].append((stone_day, target))
    stones = {goal_id: tuple(sorted(days)) for goal_id, days in listed.items()}  # plans hash
    by_period: dict[tuple[date, date], list[GoalRow]] = defaultdict(list)
    metrics: dict[str, registry.Metric] = {}
    for values_row in goals.values_list(*fields):
        goal = GoalRow(*values_row)
        if goal.metric not in metrics:
            metric = registry.get_metric(goal.metric)
            if metric is None:
                continue
            metrics[goal.metric] = metric
        by_period[(goal.start, min(day, goal.end))].append(goal)
    if not by_period:
        return 0
    people = People.load(organization.pk)
    components = sorted({c for m in metrics.values() for c in m.components})
    weekly = actuals.weekly_totals(organization.pk, day, components, LOOKBACK_WEEKS)
    forecasting = Forecasting(weekly, organization.pk, day, components)
    rows: list[store.Row] = []
    for (start, stop), batch in by_period.items():
        needed = sorted({c for g in batch for c in metrics[g.metric].components})
        totals = actuals.member_totals(organization.pk, start, stop, needed)
        values: dict[tuple[object, ...], tuple[Decimal | None, tuple[float, float]]] = {}
        paces: dict[Plan, tuple[Decimal, Decimal | None]] = {}  # pace: exact, in cents
        for goal in batch:
            metric = metrics[goal.metric]
            owner, members = people.of(goal.member_id, goal.team_id, organization.pk)
            key = (owner, metric.key)
            if key not in values:
                summed = _sum(totals, members, metric.components)
                values[key] = (_value(metric, summed), shape_of(metric).split(summed))
            value, done = values[key]
            seen = forecasting.history_until(owner, members, metric, stop, goal.end)
            plan = Plan(goal.start, goal.end, goal.target, metric.cumulative,
                        metric.direction == "higher", stones.get(goal.id, ()))  # fmt: skip
            pace = paces.get(plan)
            if pace is None:
                exact = expected_on(plan, stop)
                pace = paces[plan] = (exact, _cent(exact))
            pool = forecasting.pool(metric, owner)
            season = forecasting.season(metric)
            seen_today = outlook(plan, stop, value, seen, pace[0], done, pool, season)
            rows.append(_row(goal.id, stop, seen_today, pace[1]))
    if rows:
        with transaction.atomic():  # the new version commits with the new rows (ADR 0007)
            store.progress_upsert(rows)
            figures_changed(organization_id=organization.pk)
        progress_recorded.send(sender=Goal, organization=organization, rows=rows)
    return len(rows)


def goal_history_fill(*, goal: Goal, through: date) -> int:
    """A goal's value and pace for each day from its start up to the day
    before `through` that has no row yet: its timeline, from the rollups. The
    forecast of those days is left empty (it is only recorded as days pass)."""
    last = min(through - timedelta(days=1), goal.end)
    if last < goal.start:
        return 0
    metric = goal.definition
    people = People.load(goal.organization_id)
    _key, members = people.of(goal.member_id, goal.team_id, goal.organization_id)
    daily = actuals.daily_totals(goal.organization_id, members, goal.start, last,
                                 list(metric.components))  # fmt: skip
    plan = plan_of(goal)
    running = dict.fromkeys(metric.components, Decimal(0))
    rows, cursor = [], goal.start
    while cursor <= last:
        for c in metric.components:
            running[c] += daily.get(cursor, {}).get(c, Decimal(0))
        rows.append(Progress(goal_id=goal.pk, day=cursor, actual=_value(metric, running),
                             expected=_cent(_expected(plan, cursor))))  # fmt: skip
        cursor += timedelta(days=1)
    with transaction.atomic():
        Progress.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        figures_changed(organization_id=goal.organization_id)
    return len(rows)


def _expected(plan: Plan, day: date) -> Decimal:
    return expected_on(plan, day)


def all_organizations_recompute() -> int:
    """The daily job: every organisation, each on its own local today."""
    done = 0
    for organization in Organization.objects.all():
        done += goals_recompute(organization=organization)
    return done


def goals_of_members(organization: Organization, member_ids: Iterable[int]) -> list[int]:
    """Running goals whose figures cover any of these members: their own, those
    of their teams and every team above, and the organisation's."""
    members = list(member_ids)
    tree = TeamTree.load(organization.pk)
    teams: set[int] = set()
    for first in Member.objects.filter(pk__in=members).values_list("team_id", flat=True):
        teams.update(tree.above(first))
    today = local_today(organization)
    since = today - timedelta(days=CATCH_UP_DAYS)
    running = Goal.objects.filter(organization=organization, state=State.ACTIVE,
                                  start__lte=today, end__gte=since)  # fmt: skip
    org_wide = Q(member__isnull=True, team__isnull=True)
    mine = Q(member_id__in=members) | Q(team_id__in=teams) | org_wide
    return list(running.filter(mine).values_list("pk", flat=True))
