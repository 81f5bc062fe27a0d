"""What every demo organisation must satisfy, whatever its size: the same rules
as the models' clean() methods and the services (amounts, rates, dates)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum

from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    DealLine,
    SurveyResponse,
)
from rumbo.sales.services import to_base
from rumbo.tenancy.models import Member, Organization


def summary(slug: str) -> dict[str, Any]:
    """Counts and checksums that identify an organisation's generated data
    (no ids, which depend on what else is in the database)."""
    org = Organization.objects.get(slug=slug)
    deals = Deal.objects.filter(organization=org)
    surveys = SurveyResponse.objects.filter(organization=org)
    complaints = Complaint.objects.filter(organization=org)
    return {
        "members": sorted(Member.objects.filter(organization=org).values_list("name", "role")),
        "customers": sorted(
            Customer.objects.filter(organization=org).values_list("name", "created_at")
        ),
        "contacts": Contact.objects.filter(organization=org).count(),
        "deals": dict(deals.values_list("outcome").annotate(n=Count("id")).order_by()),
        "amounts": deals.aggregate(a=Sum("amount"), b=Sum("amount_base")),
        "lines": DealLine.objects.filter(deal__organization=org).count(),
        "techniques": Deal.techniques.through.objects.filter(deal__organization=org).count(),
        "activities": Activity.objects.filter(organization=org).count(),
        "scores": list(
            surveys.values_list("kind").annotate(n=Count("id"), s=Sum("score")).order_by("kind")
        ),
        "complaints": sorted(complaints.values_list("status", "opened_at", "resolved_at")),
    }


def assert_valid(slug: str, today: dt.date) -> None:
    """Every record of the organisation obeys the rules a user relies on."""
    org = Organization.objects.get(slug=slug)
    deals = Deal.objects.filter(organization=org)
    closed = deals.filter(outcome__in=["won", "lost"])
    assert deals.exists()
    assert not closed.filter(Q(closed_on__isnull=True) | Q(customer__isnull=True)).exists()
    assert not deals.filter(outcome="open", closed_on__isnull=False).exists()
    assert not deals.filter(closed_on__lt=F("created_on")).exists()
    assert not deals.filter(closed_on__gt=today).exists()
    assert not deals.exclude(outcome="lost").exclude(loss_reason="").exists()
    assert not closed.exclude(customer__organization=org).exists()
    assert not deals.exclude(owner__organization=org).exists()
    # The amount is the total of the lines; the base amount converts it at the close
    # date (today for open deals) exactly as the deal service would.
    totals: dict[int, Decimal] = {}
    lines = DealLine.objects.filter(deal__organization=org)
    for deal_id, quantity, price in lines.values_list("deal_id", "quantity", "unit_price"):
        totals[deal_id] = totals.get(deal_id, Decimal(0)) + quantity * price
    for deal_id, amount in deals.values_list("id", "amount"):
        assert totals[deal_id] == amount, deal_id
    assert not deals.filter(currency=org.currency).exclude(amount_base=F("amount")).exists()
    foreign = list(deals.exclude(currency=org.currency).order_by("id")[:150])
    assert foreign, "some deals are in USD or GBP"
    for deal in foreign:
        on = deal.closed_on or today
        expected = to_base(organization=org, amount=deal.amount, currency=deal.currency, on=on)
        assert deal.amount_base == expected, deal
    surveys = SurveyResponse.objects.filter(organization=org)
    assert not surveys.filter(kind="csat").exclude(score__range=(1, 5)).exists()
    assert not surveys.filter(kind="nps").exclude(score__range=(0, 10)).exists()
    assert not surveys.filter(responded_on__gt=today).exists()
    assert not surveys.exclude(customer_id=F("deal__customer_id")).exists()
    assert not surveys.exclude(rep_id=F("deal__owner_id")).exists()
    complaints = Complaint.objects.filter(organization=org)
    assert not complaints.filter(resolved_at__lt=F("opened_at")).exists()
    assert not complaints.filter(status="resolved", resolved_at__isnull=True).exists()
    assert not complaints.exclude(status="resolved").filter(resolved_at__isnull=False).exists()
    start_of_today = dt.datetime.combine(today, dt.time(), zoneinfo.ZoneInfo(org.time_zone))
    future = Q(opened_at__gte=start_of_today) | Q(resolved_at__gte=start_of_today)
    assert not complaints.filter(future).exists()
    activities = Activity.objects.filter(organization=org)
    with_deal = activities.filter(deal__isnull=False)
    assert not with_deal.exclude(customer_id=F("deal__customer_id")).exists()
    assert not activities.filter(date__gt=today).exists()
    # And the models' own validation agrees on a sample of each.
    for model in (Deal, SurveyResponse, Complaint, Activity, Customer):
        for obj in model.objects.filter(organization=org).order_by("id")[:40]:
            obj.full_clean()
    assert not lines.filter(quantity__lt=Decimal("0.01")).exists()
