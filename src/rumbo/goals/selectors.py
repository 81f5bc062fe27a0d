"""Reads of goals, always through `Goal.objects.visible_to(member)`: lists with
their latest progress, one goal's timeline (for its chart), its cascade, and
the proposals waiting for the reader's decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from rumbo.goals.forecast import expected_on
from rumbo.goals.models import Goal, Progress, State
from rumbo.goals.progress import local_today, plan_of
from rumbo.goals.services import can_decide
from rumbo.goals.words import sentence
from rumbo.metrics.targets import GoalKey
from rumbo.tenancy.models import Member, Team


def latest(field: str) -> Subquery:
    """The goal's most recent progress value of `field`, as an annotation."""
    rows = Progress.objects.filter(goal=OuterRef("pk")).order_by("-day")
    return Subquery(rows.values(field)[:1])


def goals_visible(actor: Member) -> QuerySet[Goal]:
    """The goals `actor` may see, each with its latest figures annotated."""
    qs = Goal.objects.visible_to(actor).select_related("member", "team", "organization")
    return qs.annotate(
        latest_day=latest("day"), latest_actual=latest("actual"),
        latest_expected=latest("expected"), latest_forecast=latest("forecast"),
        latest_probability=latest("probability"), latest_status=latest("status"),
    )  # fmt: skip


def latest_row(goal: Any) -> Progress | None:
    """The annotated latest figures as a Progress (no query)."""
    if getattr(goal, "latest_day", None) is None:
        return None
    return Progress(
        goal_id=goal.pk, day=goal.latest_day, actual=goal.latest_actual,
        expected=goal.latest_expected, forecast=goal.latest_forecast,
        probability=goal.latest_probability, status=goal.latest_status or "",
    )  # fmt: skip


@dataclass(frozen=True)
class Card:
    """A goal as a dashboard shows it: figures, share of target, the sentence."""

    goal: Goal
    row: Progress | None
    share: Decimal | None  # actual ÷ target × 100
    pace_share: Decimal | None
    text: str
    url: str


def card(goal: Any, reader: Member) -> Card:
    row = latest_row(goal)
    share = pace = None
    if row is not None and goal.target:
        if row.actual is not None:
            share = min(Decimal(row.actual) * 100 / goal.target, Decimal(999))
        if row.expected is not None:
            pace = min(Decimal(row.expected) * 100 / goal.target, Decimal(100))
    text = sentence(goal, row, yours=goal.member_id == reader.pk,
                    today=local_today(goal.organization))  # fmt: skip
    return Card(goal, row, share, pace, text, reverse("goals:goal_detail", args=[goal.pk]))


def cards(actor: Member, qs: QuerySet[Goal] | None = None, limit: int = 12) -> list[Card]:
    """Running and recent active goals, soonest end first (one query)."""
    qs = goals_visible(actor) if qs is None else qs
    today = local_today(actor.organization)
    qs = qs.filter(state=State.ACTIVE, end__gte=today.replace(day=1)).order_by("end", "pk")
    return [card(g, actor) for g in qs[:limit]]


def timeline(goal: Goal) -> dict[str, Any]:
    """Chart data on one axis of days from start to end: the recorded value,
    pace, milestones, and the forecast from the last recorded day to the end
    with its 80 % band (two queries)."""
    rows = {r.day: r for r in Progress.objects.filter(goal=goal)}
    stones = {m.day: m.target for m in goal.milestones.all()}
    plan = plan_of(goal, [])
    plan = plan._replace(milestones=tuple(stones.items()))
    days = [goal.start + timedelta(days=n) for n in range((goal.end - goal.start).days + 1)]
    last = max(rows) if rows else None
    data: dict[str, Any] = {
        "labels": [d.isoformat() for d in days],
        "actual": [_f(rows[d].actual) if d in rows else None for d in days],
        "expected": [_f(expected_on(plan, d)) for d in days],
        "milestones": [_f(stones.get(d)) for d in days],
        "forecast": [None] * len(days), "low": [None] * len(days), "high": [None] * len(days),
        "target": _f(goal.target),
    }  # fmt: skip
    row = rows.get(last) if last else None
    if row is not None and row.forecast is not None and last and last < goal.end:
        at, end = days.index(last), len(days) - 1
        for series, value in (("forecast", row.forecast), ("low", row.low), ("high", row.high)):
            data[series][at], data[series][end] = _f(row.actual), _f(value)
    return data


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Cascade:
    shares: list[Card]
    assigned: Decimal
    unassigned: Decimal | None  # None for a rate: each member has the full target


def cascade(goal: Goal, reader: Member) -> Cascade:
    """The members' shares of a team goal the reader may see, and what is left."""
    children = goals_visible(reader).filter(parent=goal).order_by("member__name")
    shares = [card(g, reader) for g in children]
    # What is assigned counts every share, seen or not: it is a figure of the team
    # goal the reader sees (a rep sees what is left, not whose the other shares are).
    every = Goal.objects.filter(parent=goal).values_list("target", flat=True)
    assigned = sum(every, Decimal(0))
    left = goal.target - assigned if goal.definition.cumulative else None
    return Cascade(shares, assigned, left)


def period_goal_targets(
    organization_id: int, start: date, end: date, metrics: Sequence[str]
) -> tuple[dict[GoalKey, Decimal], set[int]]:
    """The targets of the organisation's active goals on exactly [start, end]
    for these metrics, by (metric, owner kind, owner id) — the scorecard reads
    them as its targets (metrics.targets) — and, when a team goal is among
    them, the teams with teams below them. One query (two with team goals);
    of two goals on the same metric, owner and period, the later one counts."""
    rows = Goal.objects.filter(organization_id=organization_id, state=State.ACTIVE, start=start,
                               end=end, metric__in=list(metrics)).order_by("pk")  # fmt: skip
    found: dict[GoalKey, Decimal] = {}
    for metric, member_id, team_id, target in rows.values_list("metric", "member_id", "team_id",
                                                               "target"):  # fmt: skip
        if member_id is not None:
            found[(metric, "rep", member_id)] = target
        elif team_id is not None:
            found[(metric, "team", team_id)] = target
        else:
            found[(metric, "org", None)] = target
    parents: set[int] = set()
    if any(kind == "team" for _m, kind, _id in found):
        parents = set(Team.objects.filter(organization_id=organization_id, parent__isnull=False)
                      .values_list("parent_id", flat=True))  # fmt: skip
    return found, parents


def proposals_to_decide(actor: Member) -> list[Goal]:
    """Reps' proposals the actor may approve or reject."""
    if not (actor.is_admin or actor.is_manager):
        return []
    qs = Goal.objects.visible_to(actor).filter(state=State.PROPOSED).select_related("member")
    return [g for g in qs.exclude(member_id=actor.pk) if can_decide(actor, g)]
