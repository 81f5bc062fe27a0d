"""Goals in the API under /api/v1/goals: the five record operations (through
the shared handlers, so scoping and errors behave as everywhere), plus a goal's
progress history and the actions on it — approve, reject, cascade."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from rumbo.goals import selectors, services
from rumbo.goals.filters import GoalFilter
from rumbo.goals.models import Goal, Progress
from rumbo.goals.progress import local_today
from rumbo.goals.words import sentence
from rumbo.metrics.periods import EARLIEST, LATEST
from rumbo.tenancy.models import Member
from rumbo.tenancy.versions import Conflict
from rumbo.web.api_helpers import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiResource,
    ErrorOut,
    actor_of,
    api_field_names,
    register,
)
from rumbo.web.filter_api import api_filters
from rumbo.web.ids import Id

router = Router(tags=["goals"])


class MilestoneIO(Schema):
    day: dt.date
    target: Decimal = Field(ge=0)


class GoalIn(Schema):
    name: str = ""
    metric: str = Field(description="an additive metric's key, e.g. revenue, deals_won, csat")
    member_id: Id | None = Field(None, description="a rep's goal")
    team_id: Id | None = Field(None, description="a team's goal (neither: the organisation's)")
    target: Decimal = Field(ge=0)
    start: dt.date
    end: dt.date
    milestones: list[MilestoneIO] | None = Field(None, description="replaces all milestones")


class ProgressOut(Schema):
    day: dt.date
    actual: Decimal | None
    expected: Decimal | None = Field(description="pace: where the goal should be that day")
    forecast: Decimal | None = Field(description="the end value forecast that day")
    low: Decimal | None = Field(description="the forecast's 80 % band, low end")
    high: Decimal | None
    probability: Decimal | None = Field(description="chance of reaching the target, 0–1")
    status: str = Field(description="on_track, at_risk, off_track, achieved, missed or empty")


class GoalOut(Schema):
    id: int
    version: int = Field(
        description="Moves on with every change: send it back with a change "
        "(PATCH) to have it refused with 409 if someone else saved in between."
    )
    name: str
    metric: str
    level: str
    member_id: int | None
    team_id: int | None
    parent_id: int | None
    target: Decimal
    weight: Decimal
    start: dt.date
    end: dt.date
    state: str
    note: str
    milestones: list[MilestoneIO]
    latest: ProgressOut | None
    summary: str = Field(description="the standing in one sentence, in the caller's language")

    @staticmethod
    def resolve_milestones(obj: Goal) -> list[Any]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_latest(obj: Goal) -> Progress | None:
        return selectors.latest_row(obj)

    @staticmethod
    def resolve_summary(obj: Goal, context: dict[str, Any]) -> str:
        reader = actor_of(context["request"])
        return sentence(obj, selectors.latest_row(obj), yours=obj.member_id == reader.pk,
                        today=local_today(obj.organization))  # fmt: skip


class GoalResource(ApiResource):
    def queryset(self, member: Member) -> Any:
        return selectors.goals_visible(member).prefetch_related("milestones")


def _save(*, actor: Member, obj: Goal, creating: bool, extra: dict[str, Any]) -> Goal:
    stones = extra.get("milestones")
    milestones = None if stones is None else [(m["day"], m["target"]) for m in stones]
    return services.goal_save(actor=actor, goal=obj, creating=creating, milestones=milestones)


def _delete(*, actor: Member, obj: Goal) -> None:
    services.goal_delete(actor=actor, goal=obj)


register(router, GoalResource(
    path="goals", model=Goal, schema_in=GoalIn, schema_out=GoalOut, filters=api_filters(GoalFilter),
    save=_save, delete=_delete, extra_fields=["milestones"],
    orderings=["end", "start", "name", "metric", "target"],
))  # fmt: skip


def _goal(request: HttpRequest, id: int) -> Goal:
    return get_object_or_404(selectors.goals_visible(actor_of(request)), pk=id)


@router.get("/goals/{id}/progress", response={200: list[ProgressOut], **READ_ERRORS},
            operation_id="goals_progress", summary=_("A goal's progress, day by day"))  # fmt: skip
def goal_progress(request: HttpRequest, id: int, start: dt.date | None = None,
                  end: dt.date | None = None) -> Any:  # fmt: skip
    for name, day in (("start", start), ("end", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError({name: _("Choose a day between %(earliest)s and %(latest)s.")
                                   % {"earliest": EARLIEST.isoformat(),
                                      "latest": LATEST.isoformat()}})  # fmt: skip
    rows = Progress.objects.filter(goal=_goal(request, id))
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    return list(rows.order_by("day"))


DECISION_HELP = (
    "A goal someone else approved or rejected first answers 409: of two "
    "decisions at the same time exactly one is applied."
)


@router.post("/goals/{id}/approve", response={200: GoalOut, 409: ErrorOut, **WRITE_ERRORS},
             operation_id="goals_approve", summary=_("Approve a rep's proposed goal"),
             description=DECISION_HELP)  # fmt: skip
def goal_approve(request: HttpRequest, id: int) -> Any:
    try:
        goal = services.goal_approve(actor=actor_of(request), goal=_goal(request, id))
    except Conflict as exc:
        return Status(409, {"detail": exc.message})
    return _goal(request, goal.pk)


class RejectIn(Schema):
    note: str = Field(min_length=1, max_length=500, description="why")


@router.post("/goals/{id}/reject", response={200: GoalOut, 409: ErrorOut, **WRITE_ERRORS},
             operation_id="goals_reject", summary=_("Reject a rep's proposed goal"),
             description=DECISION_HELP)  # fmt: skip
def goal_reject(request: HttpRequest, id: int, payload: RejectIn) -> Any:
    try:
        goal = services.goal_reject(actor=actor_of(request), goal=_goal(request, id),
                                    note=payload.note)  # fmt: skip
    except Conflict as exc:
        return Status(409, {"detail": exc.message})
    return _goal(request, goal.pk)


class ShareIn(Schema):
    member_id: Id
    weight: Decimal = Field(Decimal(1), gt=0)


class CascadeIn(Schema):
    shares: list[ShareIn] = Field(min_length=1)


@router.post("/goals/{id}/cascade", response={200: list[GoalOut], **WRITE_ERRORS},
             operation_id="goals_cascade",
             summary=_("Give members of a team goal's team their shares"))  # fmt: skip
def goal_cascade(request: HttpRequest, id: int, payload: CascadeIn) -> Any:
    actor = actor_of(request)
    weights = {s.member_id: s.weight for s in payload.shares}
    with api_field_names({"members": "shares", "weights": "shares"}):
        children = services.goal_cascade(actor=actor, goal=_goal(request, id), weights=weights)
    return list(selectors.goals_visible(actor).filter(pk__in=[c.pk for c in children]))
