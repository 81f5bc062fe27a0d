"""Writes of customer care: plans with their steps, follow-ups added by hand,
and a follow-up done (with its activity), rescheduled or cancelled — each
atomic, checked through the one access path, with its history kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.care import choices, schedule_writes
from rumbo.care import metrics as care_metrics
from rumbo.care.models import CarePlan, CareStep, FollowUp, FollowUpChange
from rumbo.goals.progress import local_today
from rumbo.sales.choices import ActivityKind, ActivityOutcome
from rumbo.sales.models import Activity
from rumbo.sales.services import activity_save
from rumbo.tenancy.models import Member, Organization
from rumbo.tenancy.records import record_delete, record_save

# The activity a done follow-up records, by what the step asked.
ACTIVITY_OF: dict[str, str] = {
    choices.StepKind.CHECKIN: ActivityKind.CALL, choices.StepKind.EMAIL: ActivityKind.EMAIL,
    choices.StepKind.VISIT: ActivityKind.VISIT, choices.StepKind.SURVEY: ActivityKind.CHECKIN,
    choices.StepKind.REORDER: ActivityKind.CALL, choices.StepKind.RENEWAL: ActivityKind.MEETING,
}  # fmt: skip


def plans_follow_deals(*, organization_id: int, keys: Any, today: dt.date | None = None) -> None:
    """Start and stop plans for the deals of `keys` (see schedule_writes)."""
    if today is None:
        today = local_today(Organization.objects.get(pk=organization_id))
    schedule_writes.plans_follow_deals(organization_id=organization_id, keys=keys, today=today)


@dataclass(frozen=True)
class StepInput:
    kind: str
    title: str
    delay_count: int
    delay_unit: str
    assignee: str = choices.Assignee.OWNER


def plan_save(*, actor: Member, plan: CarePlan, creating: bool,
              steps: Sequence[StepInput] | None = None) -> CarePlan:  # fmt: skip
    """Save a plan and, when given, replace its steps (in the order given).
    Follow-ups already scheduled keep their dates."""
    if steps is not None and not steps:
        raise ValidationError({"steps": _("A plan needs at least one step.")})
    with transaction.atomic():
        if plan.is_default:
            # One default per trigger: choosing this one unsets the other.
            others = CarePlan.objects.filter(organization_id=plan.organization_id,
                                             trigger=plan.trigger, is_default=True)  # fmt: skip
            others.exclude(pk=plan.pk).update(is_default=False)
        record_save(actor=actor, obj=plan, creating=creating)
        if steps is not None:
            plan.steps.all().delete()
            CareStep.objects.bulk_create(
                CareStep(plan=plan, position=n, kind=s.kind, title=s.title,
                         delay_count=s.delay_count, delay_unit=s.delay_unit, assignee=s.assignee)
                for n, s in enumerate(steps)
            )  # fmt: skip
    return plan


def follow_up_save(*, actor: Member, follow_up: FollowUp, creating: bool) -> FollowUp:
    """A follow-up added or edited by hand; a changed due date is kept in its history."""
    deal = follow_up.deal if follow_up.deal_id else None
    if deal is not None and deal.customer_id != follow_up.customer_id:
        raise ValidationError({"deal": _("This deal belongs to another customer.")})
    with transaction.atomic():
        before = None if creating else FollowUp.objects.filter(pk=follow_up.pk).values_list(
            "due_on", flat=True).first()  # fmt: skip
        was = [] if creating else care_metrics.stored(follow_up)
        record_save(actor=actor, obj=follow_up, creating=creating)
        care_metrics.send_changed(follow_up.organization_id, [*was, follow_up])
        if before is not None and before != follow_up.due_on:
            FollowUpChange.objects.create(
                follow_up=follow_up, by=actor, what="rescheduled", due_before=before,
                due_after=follow_up.due_on,
            )  # fmt: skip
    return follow_up


def _open_for(actor: Member, follow_up: FollowUp) -> None:
    if follow_up.status != choices.Status.OPEN:
        raise ValidationError(_("This follow-up is no longer open."))


def complete(*, actor: Member, follow_up: FollowUp, day: dt.date, outcome: str,
             notes: str = "") -> Activity:  # fmt: skip
    """Mark the follow-up done on `day`, recording the activity it was."""
    _open_for(actor, follow_up)
    if day > local_today(actor.organization):
        raise ValidationError({"day": _("A follow-up cannot be done in the future.")})
    if outcome not in ActivityOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    with transaction.atomic():
        activity = Activity(
            organization_id=follow_up.organization_id, owner_id=follow_up.owner_id,
            customer_id=follow_up.customer_id, deal_id=follow_up.deal_id,
            kind=ACTIVITY_OF.get(follow_up.kind, ActivityKind.CHECKIN), date=day,
            outcome=outcome, notes=notes or follow_up.title,
        )  # fmt: skip
        activity_save(actor=actor, activity=activity, creating=True)
        follow_up.status, follow_up.done_on, follow_up.activity = choices.Status.DONE, day, activity
        record_save(actor=actor, obj=follow_up, creating=False)
        FollowUpChange.objects.create(follow_up=follow_up, by=actor, what="done", note=notes)
        care_metrics.send_changed(follow_up.organization_id, [follow_up])
    return activity


def reschedule(*, actor: Member, follow_up: FollowUp, due_on: dt.date, note: str = "") -> None:
    _open_for(actor, follow_up)
    if due_on < local_today(actor.organization):
        raise ValidationError({"due_on": _("Choose today or a later day.")})
    before = follow_up.due_on
    with transaction.atomic():
        follow_up.due_on = due_on
        record_save(actor=actor, obj=follow_up, creating=False)
        FollowUpChange.objects.create(follow_up=follow_up, by=actor, what="rescheduled",
                                      due_before=before, due_after=due_on, note=note)  # fmt: skip


def cancel(*, actor: Member, follow_up: FollowUp, note: str = "") -> None:
    _open_for(actor, follow_up)
    with transaction.atomic():
        follow_up.status, follow_up.stop_reason = (
            choices.Status.CANCELLED,
            choices.StopReason.BY_HAND,
        )
        record_save(actor=actor, obj=follow_up, creating=False)
        FollowUpChange.objects.create(follow_up=follow_up, by=actor, what="cancelled", note=note)


def follow_up_delete(*, actor: Member, obj: FollowUp) -> None:
    with transaction.atomic():
        was = care_metrics.stored(obj)
        record_delete(actor=actor, obj=obj)
        care_metrics.send_changed(obj.organization_id, was)


def plan_delete(*, actor: Member, obj: CarePlan) -> None:
    """A plan goes with its steps; follow-ups it scheduled stay (their step is cleared)."""
    record_delete(actor=actor, obj=obj)
