"""Plans start and stop with the deals, set-based: one pass over the deals a
write touched (a form's one deal or an import's hundred thousand), a handful of
queries whatever the count. Called inside the writing transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Max, Min, Q

from rumbo.care import choices
from rumbo.care.models import CarePlan, CareStep, FollowUp, FollowUpChange
from rumbo.care.schedule import GRACE, PlanRow, add_delay, choose_plan
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal, DealLine
from rumbo.tenancy.models import Member

Keys = Iterable[tuple[Any, Any]]
CHUNK = 2000


def _touched_deals(organization_id: int, keys: set[tuple[Any, Any]]) -> list[Deal]:
    reps = {rep for rep, _day in keys}
    days = [day for _rep, day in keys if isinstance(day, dt.date)]
    if not reps or not days:
        return []
    found = Deal.objects.filter(
        organization_id=organization_id, owner_id__in=reps,
        closed_on__gte=min(days), closed_on__lte=max(days),
    ).only("id", "owner_id", "customer_id", "closed_on", "outcome")  # fmt: skip
    return [d for d in found if (d.owner_id, d.closed_on) in keys]


def _cancel(follow_ups: Any, reason: str) -> int:
    rows = list(follow_ups.values_list("id", "due_on"))
    if not rows:
        return 0
    ids = [pk for pk, _due in rows]
    FollowUp.objects.filter(pk__in=ids).update(status=choices.Status.CANCELLED,
                                               stop_reason=reason)  # fmt: skip
    FollowUpChange.objects.bulk_create(
        FollowUpChange(follow_up_id=pk, what="cancelled", due_before=due, note=reason)
        for pk, due in rows
    )
    return len(ids)


def _plans(organization_id: int) -> tuple[list[PlanRow], dict[int, list[CareStep]]]:
    plans = list(CarePlan.objects.filter(organization_id=organization_id, active=True))
    steps: dict[int, list[CareStep]] = defaultdict(list)
    for step in CareStep.objects.filter(plan__in=plans).order_by("position", "id"):
        steps[step.plan_id].append(step)
    rows = [PlanRow(p.pk, p.trigger, p.segment, p.category, p.is_default) for p in plans]
    return rows, steps


def won_span(organization_id: int, customers: set[int]) -> dict[int, tuple[dt.date, dt.date]]:
    """Each customer's first and last won close dates."""
    rows = (
        Deal.objects.filter(organization_id=organization_id, customer_id__in=customers,
                            outcome=Outcome.WON)
        .values("customer_id").annotate(first=Min("closed_on"), last=Max("closed_on"))
        .values_list("customer_id", "first", "last")
    )  # fmt: skip
    return {customer: (first, last) for customer, first, last in rows}


Context = tuple[dict[int, set[str]], dict[int, str], dict[int, int]]


def _context(organization_id: int, deals: list[Deal]) -> Context:
    """Each deal's product categories, each customer's segment, each owner's manager."""
    customers = {d.customer_id for d in deals if d.customer_id is not None}
    categories: dict[int, set[str]] = defaultdict(set)
    lines = DealLine.objects.filter(deal__in=[d.pk for d in deals]).values_list(
        "deal_id", "product__category"
    )
    for deal_id, category in lines:
        categories[deal_id].add(category or "")
    from rumbo.sales.models import Customer

    segments = dict(Customer.objects.filter(pk__in=customers).values_list("id", "segment"))
    owners = {d.owner_id for d in deals}
    managers = dict(
        Member.objects.filter(pk__in=owners, team__manager__isnull=False)
        .values_list("id", "team__manager_id")
    )  # fmt: skip
    return categories, segments, managers


def start_plans(organization_id: int, deals: list[Deal], today: dt.date,
                span: dict[int, tuple[dt.date, dt.date]]) -> list[FollowUp]:  # fmt: skip
    """Schedule the steps of the plan of each won deal that is its customer's
    latest (an earlier one's plan has stopped: the customer bought again).
    None twice: the follow-up's unique (deal, step) makes a second start add nothing."""
    plans, steps = _plans(organization_id)
    if not plans or not deals:
        return []
    categories, segments, managers = _context(organization_id, deals)
    done = set(
        FollowUp.objects.filter(deal__in=[d.pk for d in deals], step__isnull=False)
        .values_list("deal_id", flat=True).distinct()
    )  # fmt: skip
    created: list[FollowUp] = []
    for deal in deals:
        if deal.pk in done or deal.closed_on is None or deal.customer_id is None:
            continue
        first, last = span.get(deal.customer_id, (deal.closed_on, deal.closed_on))
        if deal.closed_on < last:
            continue
        plan = choose_plan(plans, first_purchase=first == deal.closed_on,
                           segment=segments.get(deal.customer_id, ""),
                           categories=categories.get(deal.pk, ()))  # fmt: skip
        for step in steps.get(plan.id, []) if plan else []:
            due = add_delay(deal.closed_on, step.delay_count, step.delay_unit)
            if due < today - GRACE:
                continue
            owner = deal.owner_id
            if step.assignee == choices.Assignee.MANAGER:
                owner = managers.get(deal.owner_id, owner)
            created.append(FollowUp(
                organization_id=organization_id, owner_id=owner, customer_id=deal.customer_id,
                deal_id=deal.pk, step=step, kind=step.kind, title=step.title, due_on=due,
            ))  # fmt: skip
    for start in range(0, len(created), CHUNK):
        FollowUp.objects.bulk_create(created[start : start + CHUNK], ignore_conflicts=True)
    return created


def plans_follow_deals(*, organization_id: int, keys: Keys, today: dt.date) -> None:
    """After a write of deals: stop the plans of deals no longer won, start
    those of deals won, and stop a customer's earlier plans when they buy again."""
    key_set = set(keys)
    deals = _touched_deals(organization_id, key_set)
    reps = {rep for rep, _day in key_set}
    _cancel(FollowUp.objects.filter(
        Q(deal__owner_id__in=reps) | Q(owner_id__in=reps),
        organization_id=organization_id, status=choices.Status.OPEN, deal__isnull=False,
    ).exclude(deal__outcome=Outcome.WON), choices.StopReason.DEAL_LOST)  # fmt: skip
    won = [d for d in deals if d.outcome == Outcome.WON]
    if not won:
        return
    span = won_span(organization_id, {d.customer_id for d in won if d.customer_id})
    customers = sorted(span)
    for start in range(0, len(customers), 500):
        again = Q()
        for customer_id in customers[start : start + 500]:
            again |= Q(customer_id=customer_id, deal__closed_on__lt=span[customer_id][1])
        _cancel(FollowUp.objects.filter(again, organization_id=organization_id,
                                        status=choices.Status.OPEN),
                choices.StopReason.BOUGHT_AGAIN)  # fmt: skip
    start_plans(organization_id, won, today, span)
