"""Customers, contacts and deals in the search box (rumbo.search): imported
by SalesConfig.ready, which is all it takes to register them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rumbo.sales.models import Contact, Customer, Deal
from rumbo.search.registry import Kind, hint, register
from rumbo.web.formatting import money


def describe_customer(customer: Any) -> str:
    """Namesakes differ by city, email or the id in the CRM they came from."""
    return hint(customer.city, customer.email, customer.external_id)


def describe_contact(contact: Any) -> str:
    return hint(contact.customer.name, contact.title, contact.email)


def describe_deal(deal: Any) -> str:
    """Whom it is for (named even when its customer is another rep's: ADR 0011),
    how much, and where it stands."""
    customer = deal.customer.name if deal.customer_id else ""
    return hint(customer, money(deal.amount, deal.currency), deal.get_stage_display())


register(Kind(
    key="customers", label=_("Customers"), model=Customer,
    fields=("name", "email", "city", "external_id"), describe=describe_customer,
    pages="sales:customer",
    order=("name", "pk"), position=10,
))  # fmt: skip
register(Kind(
    key="contacts", label=_("Contacts"), model=Contact,
    fields=("name", "email", "title", "customer__name"), describe=describe_contact,
    pages="sales:contact",
    order=("name", "pk"), related=("customer",), position=20,
))  # fmt: skip
register(Kind(
    key="deals", label=_("Deals"), model=Deal,
    fields=("name", "external_id", "customer__name"), describe=describe_deal,
    pages="sales:deal",
    order=("name", "pk"), related=("customer",), position=30,
))  # fmt: skip
