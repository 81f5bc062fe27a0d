"""Writes for sales records. Each goes through the tenancy's checked save/delete
(permission, references in scope, validation, audit, one transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.sales import choices, money
from rumbo.sales.facts import send_changed, stored_keys
from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    DealLine,
    Product,
    SurveyResponse,
    Technique,
)
from rumbo.sales.signals import feedback_recorded
from rumbo.tenancy.models import Member
from rumbo.tenancy.services import record_delete, record_save

CENT = money.CENT
# The currency and rate services live in `money` (ADR 0013); named here for the apps.
rate_on, to_base = money.rate_on, money.to_base
exchange_rate_save, exchange_rate_delete = money.exchange_rate_save, money.exchange_rate_delete


# Simple records: one checked save and one checked delete each.


def customer_save(*, actor: Member, customer: Customer, creating: bool) -> Customer:
    record_save(actor=actor, obj=customer, creating=creating)
    return customer


def contact_save(*, actor: Member, contact: Contact, creating: bool) -> Contact:
    record_save(actor=actor, obj=contact, creating=creating)
    return contact


def product_save(*, actor: Member, product: Product, creating: bool) -> Product:
    record_save(actor=actor, obj=product, creating=creating)
    return product


def technique_save(*, actor: Member, technique: Technique, creating: bool) -> Technique:
    record_save(actor=actor, obj=technique, creating=creating)
    return technique


def _fact_save(*, actor: Member, obj: Any, creating: bool) -> None:
    """A checked save that also tells the metrics which (rep, day) keys it touched,
    the old ones included (read before the save moves them)."""
    with transaction.atomic():
        # Read in the write's transaction (on SQLite it already holds the lock).
        before = set() if creating else stored_keys(obj)
        record_save(actor=actor, obj=obj, creating=creating)
        send_changed(obj, before)


def activity_save(*, actor: Member, activity: Activity, creating: bool) -> Activity:
    _fact_save(actor=actor, obj=activity, creating=creating)
    return activity


def survey_response_save(
    *, actor: Member, response: SurveyResponse, creating: bool
) -> SurveyResponse:
    """A response counts for the deal's owner, else the customer's owner, unless set."""
    if response.rep_id is None:
        if response.deal_id:
            response.rep_id = response.deal.owner_id
        elif response.customer_id and response.customer.owner_id:
            response.rep_id = response.customer.owner_id
    with transaction.atomic():
        _fact_save(actor=actor, obj=response, creating=creating)
        feedback_recorded.send(sender=SurveyResponse, actor=actor, record=response,
                               creating=creating)  # fmt: skip
    return response


def complaint_save(*, actor: Member, complaint: Complaint, creating: bool) -> Complaint:
    if complaint.rep_id is None:
        if complaint.deal_id:
            complaint.rep_id = complaint.deal.owner_id
        elif complaint.customer_id and complaint.customer.owner_id:
            complaint.rep_id = complaint.customer.owner_id
    if complaint.opened_at is None:
        complaint.opened_at = timezone.now()
    with transaction.atomic():
        _fact_save(actor=actor, obj=complaint, creating=creating)
        feedback_recorded.send(sender=Complaint, actor=actor, record=complaint,
                               creating=creating)  # fmt: skip
    return complaint


def record_remove(*, actor: Member, obj: object) -> None:
    """Delete any sales record, refusing when others depend on it."""
    with transaction.atomic():
        before = stored_keys(obj)  # type: ignore[arg-type]
        record_delete(actor=actor, obj=obj)  # type: ignore[arg-type]
        if before:
            send_changed(obj, before)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: Decimal
    unit_price: Decimal


def deal_save(
    *,
    actor: Member,
    deal: Deal,
    creating: bool,
    lines: Iterable[LineInput] | None = None,
    techniques: Iterable[Technique] | None = None,
) -> Deal:
    """Save a deal with its lines and techniques in one transaction. With lines,
    the amount is their total; the base amount converts at the close date (or
    today for an open deal: `money`, ADR 0013)."""
    line_list = list(lines) if lines is not None else None
    errors: dict[str, str] = {}
    if line_list:
        for line in line_list:
            if line.product.organization_id != actor.organization_id:
                errors["lines"] = _("Choose products of this organisation.")
            if line.quantity <= 0 or line.unit_price < 0:
                errors["lines"] = _("Each line needs a positive quantity and a price.")
        deal.amount = sum((ln.quantity * ln.unit_price for ln in line_list), Decimal(0)).quantize(
            CENT
        )
    technique_list = list(techniques) if techniques is not None else None
    for technique in technique_list or []:
        if technique.organization_id != actor.organization_id:
            errors["techniques"] = _("Choose techniques of this organisation.")
    if errors:
        raise ValidationError(errors)
    no_value = deal.amount is None and not line_list and deal.outcome == choices.Outcome.OPEN
    if no_value:
        # An open deal saved with no amount has no value yet (Deal.has_value): amount
        # 0 (zero in the pipeline) and no base amount, as an import stores one.
        deal.amount, deal.amount_base = Decimal(0), None
    with transaction.atomic():
        if deal.amount is not None and deal.currency and not no_value:
            # Converted in the write's transaction, in turn with rate writes.
            money.lock_rates(organization_id=actor.organization_id, exclusive=False)
            deal.amount_base = money.deal_base_amount(organization=actor.organization, deal=deal)
        before = set() if creating else stored_keys(deal)
        record_save(actor=actor, obj=deal, creating=creating)
        send_changed(deal, before)
        if line_list is not None:
            deal.lines.all().delete()
            DealLine.objects.bulk_create(
                DealLine(deal=deal, product=ln.product, quantity=ln.quantity,
                         unit_price=ln.unit_price)
                for ln in line_list
            )  # fmt: skip
        if technique_list is not None:
            deal.techniques.set(technique_list)
    return deal
