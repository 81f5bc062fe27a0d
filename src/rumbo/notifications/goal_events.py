"""Notices about goals: a goal that turns at risk or off track (once per
change of its recorded status, not every day it stays behind), a milestone
reached or missed, and a proposal made, approved or rejected.

The goals app says when progress was recorded and when a goal's approval
state moved (`rumbo.goals.signals`); this module decides who hears about it.
A rep's goal notifies the rep; a team's its manager and the person they answer
to (the director, for a regional team), else the admins; the organisation's
the admins."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rumbo.goals.models import Goal, Milestone, Progress, State
from rumbo.goals.words import sentence
from rumbo.metrics import registry
from rumbo.notifications.models import Kind
from rumbo.notifications.recipients import RELATED, admins, in_charge_of, without
from rumbo.notifications.services import Notice, notification_send, notifications_send
from rumbo.tenancy.models import Member, Organization
from rumbo.web import formatting as fmt

BEHIND = ("at_risk", "off_track")
# How far back a status counts as "the previous one", and how late a job that
# missed days still judges a milestone (as goals.progress.CATCH_UP_DAYS).
LOOK_BACK = 7
CHUNK = 2000

# Rendered when the notice is, in its reader's language.
later = lazy(lambda fn, *args, **kwargs: fn(*args, **kwargs), str)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _value(goal: Goal, value: Decimal | None) -> Any:
    return later(fmt.metric_value, value, goal.definition, goal.organization.currency)


class Owners:
    """Who hears about a goal's progress: its rep; for a team goal, the team's
    manager and the person they answer to (else the admins); for the
    organisation's, the admins. Looked up once per manager for a batch."""

    def __init__(self, organization_id: int) -> None:
        self.heads = admins(organization_id)
        self.above: dict[int, list[Member]] = {}

    def of(self, goal: Goal) -> list[Member]:
        if goal.member_id:
            return without([goal.member])
        manager = goal.team.manager if goal.team_id else None  # type: ignore[union-attr]
        if manager is None:
            return without(self.heads)
        if manager.pk not in self.above:
            self.above[manager.pk] = in_charge_of(manager)
        return without([manager, *self.above[manager.pk]])


def _previous_status(behind: dict[int, tuple[int, date, str]]) -> dict[int, str]:
    """Each goal's latest recorded status on a day before the row's own
    (history filled in at a goal's creation has none): the day before first
    (the job ran yesterday: one row per goal), the week before for the rest."""
    if not behind:
        return {}
    found: dict[int, str] = {}
    by_day: dict[date, list[int]] = {}
    for goal_id, day, _status in behind.values():
        by_day.setdefault(day, []).append(goal_id)
    for day, ids in by_day.items():
        for chunk in _chunks(sorted(ids)):
            found.update(Progress.objects.filter(goal_id__in=chunk, day=day - timedelta(days=1))
                         .exclude(status="").values_list("goal_id", "status"))  # fmt: skip
    rest = {gid: row for gid, row in behind.items() if gid not in found}
    if not rest:
        return found
    days = [day for _gid, day, _status in rest.values()]
    earliest, latest = min(days) - timedelta(days=LOOK_BACK), max(days)
    for chunk in _chunks(sorted(rest)):
        rows = (Progress.objects.filter(goal_id__in=chunk, day__gte=earliest, day__lt=latest)
                .exclude(status="").order_by("goal_id", "day")
                .values_list("goal_id", "day", "status"))  # fmt: skip
        for goal_id, day, status in rows:
            if day < rest[goal_id][1]:
                found[goal_id] = status  # ordered by day: the latest wins
    return found


def _stones(organization: Organization, rows: dict[int, tuple[Any, ...]]
            ) -> list[tuple[int, date, Decimal, bool, date]]:  # fmt: skip
    """Milestones judged by these rows: (goal id, milestone day, its target,
    reached?, the day to notify). A running total that should grow is reached
    the day it gets there; anything else is judged on the milestone's own day,
    once that day is over (the job records today several times a day)."""
    earliest = min(row[1] for row in rows.values()) - timedelta(days=LOOK_BACK)
    stones = Milestone.objects.filter(goal__organization=organization, day__gte=earliest,
                                      goal__state=State.ACTIVE)  # fmt: skip
    if len(rows) <= CHUNK:
        stones = stones.filter(goal_id__in=list(rows))
    judged, past = [], []
    for goal_id, stone_day, target, metric_key in stones.values_list(
        "goal_id", "day", "target", "goal__metric"
    ):
        row = rows.get(goal_id)
        metric = registry.get_metric(metric_key)
        if row is None or metric is None:
            continue
        higher = metric.direction == "higher"
        day, value = row[1], row[2]
        if stone_day >= day:
            if higher and metric.cumulative and value is not None and value >= target:
                judged.append((goal_id, stone_day, target, True, day))
        elif stone_day >= day - timedelta(days=LOOK_BACK):
            past.append((goal_id, stone_day, target, higher))
    if past:
        ids = sorted({p[0] for p in past})
        values = {}
        for chunk in _chunks(ids):
            for goal_id, day, actual in Progress.objects.filter(
                goal_id__in=chunk, day__in={p[1] for p in past}
            ).values_list("goal_id", "day", "actual"):
                values[(goal_id, day)] = actual
        for goal_id, stone_day, target, higher in past:
            actual = values.get((goal_id, stone_day))
            if actual is not None:
                met = actual >= target if higher else actual <= target
                judged.append((goal_id, stone_day, target, met, stone_day + timedelta(days=1)))
    return judged


def progress_notify(*, organization: Organization, rows: Iterable[Sequence[Any]]) -> int:
    """After progress rows were recorded (goal id, day, value, …, status): tell
    the owners of goals whose status turned at risk or off track (compared with
    the latest status recorded before that day: a goal behind for a week is
    told once, one that recovers and falls behind again is told again), and of
    milestones reached or missed (once each). Returns how many notices were new."""
    by_goal = {row[0]: tuple(row) for row in rows}
    if not by_goal:
        return 0
    behind = {gid: (gid, row[1], row[8]) for gid, row in by_goal.items() if row[8] in BEHIND}
    before = _previous_status(behind)
    changed = [gid for gid, (_g, _d, status) in behind.items() if before.get(gid) != status]
    stones = _stones(organization, by_goal)
    ids = sorted(set(changed) | {s[0] for s in stones})
    if not ids:
        return 0
    goals: dict[int, Goal] = {}
    for chunk in _chunks(ids):
        goals.update((g.pk, g) for g in Goal.objects.filter(pk__in=chunk).select_related(
            "organization", *(f"member__{r}" for r in RELATED),
            "team", *(f"team__manager__{r}" for r in RELATED)))  # fmt: skip
    return notifications_send(_notices(goals, by_goal, changed, stones, Owners(organization.pk)))


def _notices(goals: dict[int, Goal], rows: dict[int, tuple[Any, ...]], changed: list[int],
             stones: list[tuple[int, date, Decimal, bool, date]],
             owners: Owners) -> Iterator[Notice]:  # fmt: skip
    titles = {"at_risk": _("At risk: {goal}"), "off_track": _("Off track: {goal}")}
    for goal_id in changed:
        goal, row = goals.get(goal_id), rows[goal_id]
        if goal is None:
            continue
        progress = Progress(goal_id=goal_id, day=row[1], actual=row[2], expected=row[3],
                            forecast=row[4], low=row[5], high=row[6], probability=row[7],
                            status=row[8])  # fmt: skip
        for person in owners.of(goal):
            yield Notice(
                recipient=person, kind=Kind.GOAL_STATUS, subject_key=f"goal:{goal_id}:{row[8]}",
                title=format_lazy(titles[row[8]], goal=later(str, goal)),
                body=later(sentence, goal, progress, yours=goal.member_id == person.pk,
                           today=row[1]),
                link=goal.get_absolute_url(), day=row[1],
            )  # fmt: skip
    for goal_id, stone_day, target, met, day in stones:
        goal = goals.get(goal_id)
        if goal is None:
            continue
        value = rows[goal_id][2] if met and day <= stone_day else None
        for person in owners.of(goal):
            yield Notice(
                recipient=person, kind=Kind.MILESTONE, once=True,
                subject_key=f"goal:{goal_id}:milestone:{stone_day.isoformat()}",
                title=format_lazy(_("Milestone reached: {goal}") if met
                                  else _("Milestone missed: {goal}"), goal=later(str, goal)),
                body=format_lazy(
                    _("The milestone asked for {target} by {day}; {value} so far.") if value
                    else _("The milestone asked for {target} by {day}.") if met
                    else _("The milestone asked for {target} by {day}; it fell short."),
                    target=_value(goal, target), day=later(fmt.date, stone_day),
                    value=_value(goal, value)),
                link=goal.get_absolute_url(), day=day,
            )  # fmt: skip


def goal_review_notify(*, actor: Member | None, goal: Goal) -> int:
    """A proposal tells whoever decides on it (the rep's manager, else the
    admins); an approval or a rejection tells the rep. Returns how many were new."""
    rep = goal.member
    if rep is None:
        return 0
    who = later(lambda: actor.name if actor is not None else "")
    if goal.state == State.PROPOSED:
        people = without(in_charge_of(rep), actor, rep)
        key, once = f"goal:{goal.pk}:proposed", False  # a revision, a day later: again
        title = format_lazy(_("{rep} proposes a goal: {goal}"), rep=rep.name, goal=later(str, goal))
        body = format_lazy(_("Target {target} from {start} to {end}. Approve it or say why not."),
                           target=_value(goal, goal.target), start=later(fmt.date, goal.start),
                           end=later(fmt.date, goal.end))  # fmt: skip
    elif goal.state == State.ACTIVE:
        people = without([rep], actor)
        key, once = f"goal:{goal.pk}:approved", True
        title = format_lazy(_("Goal approved: {goal}"), goal=later(str, goal))
        body = format_lazy(_("{who} approved your proposal; it now counts on your timeline."),
                           who=who)  # fmt: skip
    else:
        people = without([rep], actor)
        key, once = f"goal:{goal.pk}:rejected:{goal.version}", True
        title = format_lazy(_("Goal rejected: {goal}"), goal=later(str, goal))
        body = format_lazy(_("{who} rejected your proposal: “{note}” Revise it and propose it "
                             "again."), who=who, note=goal.note)  # fmt: skip
    sent = 0
    for person in people:
        done = notification_send(recipient=person, kind=Kind.GOAL_REVIEW, subject_key=key,
                                 title=title, body=body, link=goal.get_absolute_url(),
                                 once=once)  # fmt: skip
        sent += done is not None
    return sent
