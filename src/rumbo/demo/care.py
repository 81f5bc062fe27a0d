"""The demo's customer care: the default plan an organisation starts with
(check-in on day 3, satisfaction survey on day 30, review on day 90 by the
manager, a reorder reminder at six months), started for the deals won in the
last months, and a believable record of working through it — most follow-ups
that fell due were done on time or a little late, a few are overdue today."""

from __future__ import annotations

import datetime as dt
import random

from rumbo.care import choices
from rumbo.care.models import CarePlan, CareStep, FollowUp
from rumbo.care.schedule_writes import start_plans, won_span
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal
from rumbo.tenancy.models import Organization

# Plans start for deals won this many days back: the plan's longest step.
HORIZON = dt.timedelta(days=200)
DEFAULT_STEPS = (
    (choices.StepKind.CHECKIN, "Check-in call", 3, choices.DelayUnit.DAYS, choices.Assignee.OWNER),
    (choices.StepKind.SURVEY, "Satisfaction survey", 30, choices.DelayUnit.DAYS,
     choices.Assignee.OWNER),
    (choices.StepKind.RENEWAL, "90-day review", 90, choices.DelayUnit.DAYS,
     choices.Assignee.MANAGER),
    (choices.StepKind.REORDER, "Reorder reminder", 6, choices.DelayUnit.MONTHS,
     choices.Assignee.OWNER),
)  # fmt: skip


def default_plan(organization: Organization) -> CarePlan:
    plan = CarePlan.objects.create(organization=organization, name="After the sale",
                                   is_default=True)  # fmt: skip
    CareStep.objects.bulk_create(
        CareStep(plan=plan, position=n, kind=kind, title=title, delay_count=count,
                 delay_unit=unit, assignee=assignee)
        for n, (kind, title, count, unit, assignee) in enumerate(DEFAULT_STEPS)
    )  # fmt: skip
    return plan


def demo_care(*, organization: Organization, today: dt.date, seed: str) -> int:
    """Write the organisation's care plan and follow-ups; returns how many follow-ups."""
    default_plan(organization)
    deals = list(
        Deal.objects.filter(organization=organization, outcome=Outcome.WON,
                            closed_on__gte=today - HORIZON, closed_on__lte=today)
        .only("id", "owner_id", "customer_id", "closed_on", "outcome")
    )  # fmt: skip
    span = won_span(organization.pk, {d.customer_id for d in deals if d.customer_id})
    # The plan starts as each deal was won: "today" was its close date then.
    by_day: dict[dt.date, list[Deal]] = {}
    for deal in deals:
        by_day.setdefault(deal.closed_on, []).append(deal)  # type: ignore[arg-type]
    created = 0
    for day, won in sorted(by_day.items()):
        created += len(start_plans(organization.pk, won, day, span))
    _work_through(organization, today, random.Random(seed))
    return created


def _work_through(organization: Organization, today: dt.date, rng: random.Random) -> None:
    """Follow-ups that fell due: done (on time mostly), the rest still open."""
    due = FollowUp.objects.filter(organization=organization, due_on__lt=today)
    done = []
    for follow_up in due.only("id", "due_on"):
        late_by = (today - follow_up.due_on).days
        if late_by <= 7 and rng.random() < 0.5:
            continue  # still to do: overdue by a few days
        if late_by > 7 and rng.random() < 0.06:
            continue  # forgotten
        slip = min(rng.choice((0, 0, 0, 0, 1, 2, 5)), late_by)
        follow_up.status = choices.Status.DONE
        follow_up.done_on = follow_up.due_on + dt.timedelta(days=slip)
        done.append(follow_up)
    FollowUp.objects.bulk_update(done, ["status", "done_on"], batch_size=2000)
