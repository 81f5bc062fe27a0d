"""API of customer care: follow-ups (the shared record handlers, so scoping and
errors behave as everywhere) with their actions, and care plans with steps."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from rumbo.care import services
from rumbo.care.choices import Assignee, DelayUnit, Status, StepKind, Trigger
from rumbo.care.filters import CarePlanFilter, FollowUpFilter
from rumbo.care.models import CarePlan, FollowUp
from rumbo.sales.choices import ActivityOutcome
from rumbo.sales.schemas import CustomerRef
from rumbo.tenancy.schemas import MemberRef
from rumbo.web.api_helpers import WRITE_ERRORS, ApiResource, actor_of, register, simple_save
from rumbo.web.filter_api import api_filters
from rumbo.web.ids import Id

router = Router(tags=["care"])
VERSION = "Moves on with every change: send it back with a change (PATCH) to have it " \
          "refused with 409 if someone else saved in between."  # fmt: skip


class FollowUpIn(Schema):
    customer_id: Id
    deal_id: Id | None = None
    kind: StepKind
    title: str = Field(min_length=1, max_length=120)
    due_on: dt.date
    owner_id: Id | None = Field(None, description="Who does it; defaults to you.")


class FollowUpOut(FollowUpIn):
    id: int
    version: int = Field(description=VERSION)
    customer: CustomerRef
    owner: MemberRef
    status: Status
    done_on: dt.date | None
    stop_reason: str = Field(description="why it stopped, when cancelled")
    step_id: int | None
    activity_id: int | None


class StepIO(Schema):
    kind: StepKind
    title: str = Field(min_length=1, max_length=120)
    delay_count: int = Field(ge=0, le=3650)
    delay_unit: DelayUnit = DelayUnit.DAYS
    assignee: Assignee = Assignee.OWNER


class CarePlanIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    trigger: Trigger = Trigger.DEAL_WON
    segment: str = Field("", max_length=60)
    category: str = Field("", max_length=80)
    is_default: bool = False
    active: bool = True
    steps: list[StepIO] | None = Field(None, max_length=20, description="replaces all steps")


class CarePlanOut(CarePlanIn):
    id: int
    version: int = Field(description=VERSION)
    steps: list[StepIO] | None  # type: ignore[assignment]

    @staticmethod
    def resolve_steps(obj: CarePlan) -> list[Any]:
        return list(obj.steps.all())


def _save_plan(*, actor: Any, obj: CarePlan, creating: bool, extra: dict[str, Any]) -> CarePlan:
    steps = extra.get("steps")
    inputs = None if steps is None else [
        services.StepInput(s["kind"], s["title"], s["delay_count"],
                           s.get("delay_unit", DelayUnit.DAYS), s.get("assignee", Assignee.OWNER))
        for s in steps
    ]  # fmt: skip
    if creating and inputs is None:
        inputs = []  # refused: a plan needs a step
    return services.plan_save(actor=actor, plan=obj, creating=creating, steps=inputs)


def _follow_up_defaults(actor: Any) -> dict[str, Any]:
    return {"owner_id": actor.pk}


register(router, ApiResource(
    path="follow-ups", model=FollowUp, schema_in=FollowUpIn, schema_out=FollowUpOut,
    filters=api_filters(FollowUpFilter), save=simple_save(services.follow_up_save, "follow_up"),
    delete=services.follow_up_delete, defaults=_follow_up_defaults,
    select_related=["owner", "customer"],
    orderings=["due_on", "status", "kind", "customer__name", "owner__name"],
))  # fmt: skip
register(router, ApiResource(
    path="care-plans", model=CarePlan, schema_in=CarePlanIn, schema_out=CarePlanOut,
    filters=api_filters(CarePlanFilter), save=_save_plan, delete=services.plan_delete,
    extra_fields=["steps"], prefetch_related=["steps"], orderings=["name"],
))  # fmt: skip


def _follow_up(request: HttpRequest, pk: int) -> FollowUp:
    return get_object_or_404(FollowUp.objects.visible_to(actor_of(request)), pk=pk)


class CompleteIn(Schema):
    day: dt.date | None = Field(None, description="Defaults to today.")
    outcome: ActivityOutcome = ActivityOutcome.DONE
    notes: str = Field("", max_length=4000)


class RescheduleIn(Schema):
    due_on: dt.date
    note: str = Field("", max_length=1000)


@router.post("/follow-ups/{id}/complete", response={200: FollowUpOut, **WRITE_ERRORS},
             operation_id="follow-ups_complete",
             summary=_("Mark a follow-up done, recording its activity"))  # fmt: skip
def follow_up_complete(request: HttpRequest, id: int, payload: CompleteIn) -> Any:
    follow_up = _follow_up(request, id)
    from rumbo.goals.progress import local_today

    actor = actor_of(request)
    day = payload.day or local_today(actor.organization)
    services.complete(actor=actor, follow_up=follow_up, day=day, outcome=payload.outcome,
                      notes=payload.notes)  # fmt: skip
    return _follow_up(request, id)


@router.post("/follow-ups/{id}/reschedule", response={200: FollowUpOut, **WRITE_ERRORS},
             operation_id="follow-ups_reschedule",
             summary=_("Move a follow-up to another day (its history keeps the old day)"),
             )  # fmt: skip
def follow_up_reschedule(request: HttpRequest, id: int, payload: RescheduleIn) -> Any:
    services.reschedule(actor=actor_of(request), follow_up=_follow_up(request, id),
                        due_on=payload.due_on, note=payload.note)  # fmt: skip
    return _follow_up(request, id)


@router.post("/follow-ups/{id}/cancel", response={200: FollowUpOut, **WRITE_ERRORS},
             operation_id="follow-ups_cancel", summary=_("Cancel a follow-up"))  # fmt: skip
def follow_up_cancel(request: HttpRequest, id: int) -> Any:
    services.cancel(actor=actor_of(request), follow_up=_follow_up(request, id))
    return _follow_up(request, id)
