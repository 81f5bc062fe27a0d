"""Kinds of record the type-to-search widget can find (`/lookup/<kind>/`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from rumbo.sales.models import Customer, Deal
from rumbo.web import formatting
from rumbo.web.lookup import Lookup, register


def _customer_hint(customer: Customer) -> str:
    """What tells namesakes apart: where they are, their email and the id the
    CRM gave them (an import refusing an ambiguous name asks for one of them)."""
    place = ", ".join(p for p in (customer.city, customer.country) if p)
    external = _("id %(id)s") % {"id": customer.external_id} if customer.external_id else ""
    parts = [place, customer.email, external, customer.owner.name if customer.owner else ""]
    return " · ".join(p for p in parts if p)


def _deal_hint(deal: Any) -> str:
    parts = [
        deal.customer.name if deal.customer else "",
        str(deal.get_outcome_display()),
        formatting.money(deal.amount, deal.currency),
    ]
    return " · ".join(p for p in parts if p)


register(
    "customer",
    Lookup(
        model=Customer, search=["name", "external_id", "city", "email"], order=["name", "pk"],
        hint=_customer_hint, select_related=["owner"],
    ),
)  # fmt: skip
register(
    "deal",
    Lookup(
        model=Deal, search=["name", "external_id", "customer__name"],
        order=["-created_on", "-pk"], hint=_deal_hint, select_related=["customer"],
        narrow={"customer": (Customer, "customer_id")},
    ),
)  # fmt: skip
