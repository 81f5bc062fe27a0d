"""Writes of customer health: the admins' weights, and the daily sweep that
stores each customer's band and tells the owner and their manager once when a
valuable customer turns red (docs/care.md, "Customer health")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rumbo.care.health import RED, compute, settings_of
from rumbo.care.models import CustomerHealth, HealthSettings
from rumbo.goals.progress import local_today
from rumbo.notifications.recipients import RELATED, in_charge_of, without
from rumbo.notifications.services import Notice, notifications_send
from rumbo.sales.models import Customer
from rumbo.tenancy.models import Member, Organization, Role
from rumbo.tenancy.records import audit

KIND = "customer_red"
WEIGHTS = (
    "detractor", "detractor_days", "complaint", "complaint_high", "overdue_follow_up",
    "repurchase_overdue", "falling_spend", "spend_drop_percent", "valuable_from",
)  # fmt: skip


def health_settings_save(*, actor: Member, values: dict[str, Any]) -> HealthSettings:
    """An admin sets the organisation's weights (validated by the form); one
    audit entry with what changed."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied
    with transaction.atomic():
        row = settings_of(actor.organization_id)
        changes = {k: [str(getattr(row, k)), str(values[k])] for k in WEIGHTS
                   if k in values and getattr(row, k) != values[k]}  # fmt: skip
        for key in WEIGHTS:
            if key in values:
                setattr(row, key, values[key])
        row.full_clean(exclude=["organization"], validate_unique=False)
        creating = row.pk is None
        row.save()
        audit(actor=actor, action="create" if creating else "update", obj=row, changes=changes)
    return row


def health_sweep(*, organization: Organization, today: dt.date | None = None) -> int:
    """Score every customer of the organisation, store each band that changed
    (with the day it changed), and notify the owner and the manager above
    them when a customer worth at least `valuable_from` turns red. The first
    sweep of an organisation only records the bands. Returns the notifications
    sent. Running it twice the same day sends nothing more."""
    today = today or local_today(organization)
    weights = settings_of(organization.pk)
    customers = list(Customer.objects.filter(organization=organization)
                     .select_related(*(f"owner__{r}" for r in RELATED)))  # fmt: skip
    found = compute(organization.pk, [c.pk for c in customers], today, weights)
    stored = {h.customer_id: h for h in CustomerHealth.objects.filter(organization=organization)}
    first = not stored
    fresh, changed, turned_red = [], [], []
    for customer in customers:
        health = found[customer.pk]
        row = stored.get(customer.pk)
        before = row.band if row is not None else ("" if first else None)
        if row is None:
            fresh.append(CustomerHealth(organization=organization, customer=customer,
                                        score=health.score, band=health.band,
                                        since=today))  # fmt: skip
        elif row.band != health.band or row.score != health.score:
            if row.band != health.band:
                row.since = today
            row.band, row.score = health.band, health.score
            changed.append(row)
        # None: a customer new since the last sweep (not red before); "": the first sweep.
        valuable = health.at_stake > 0 and health.at_stake >= weights.valuable_from
        if health.band == RED and before not in (RED, "") and valuable:
            turned_red.append(customer)
    with transaction.atomic():
        CustomerHealth.objects.bulk_create(fresh, ignore_conflicts=True)
        CustomerHealth.objects.bulk_update(changed, ["band", "score", "since"])
    return notifications_send(_notices(turned_red, today))


def _notices(customers: list[Customer], today: dt.date) -> list[Notice]:
    bosses: dict[int, list[Member]] = {}
    notices = []
    for customer in customers:
        owner = customer.owner
        if owner is None:
            continue
        if owner.pk not in bosses:
            bosses[owner.pk] = in_charge_of(owner)
        title = format_lazy(_("{name} turned red: customer at risk"), name=customer.name)
        body = _("Its health score fell to 50 or below. Open the customer to see why.")
        link = reverse("sales:customer_detail", args=[customer.pk])
        for person in without([owner, *bosses[owner.pk]]):
            notices.append(Notice(recipient=person, kind=KIND, title=title, body=body, link=link,
                                  subject_key=f"health:{customer.pk}:{today.isoformat()}",
                                  once=True))  # fmt: skip
    return notices
