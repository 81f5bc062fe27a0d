"""Gaps a real export showed (issue 15): a users file with First Name and Last
Name columns, a refusal of a name two customers share that lists what tells them
apart, and an open deal saved with no amount that reads "no value yet"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from rumbo.sales.models import Deal
from rumbo.tenancy.models import Member
from tests import factories as f
from tests.access.formdata import form_submission
from tests.imports.conftest import lines
from tests.sales.test_pages_deals import deal_data

pytestmark = pytest.mark.django_db

# HubSpot's users export (Settings > Users & Teams > Export users), cut down.
HUBSPOT_USERS = """First Name,Last Name,Email,Team
Vera,Vega,vera@acme.test,Madrid
Pablo,Paz Prado,pablo@acme.test,Madrid
"""


def test_users_file_with_first_and_last_name_joins_them(importer, world) -> None:
    result = importer.run("reps", "users.csv", HUBSPOT_USERS)
    assert result.ok and result.applied, lines(result)
    names = set(
        Member.objects.filter(organization=world.acme, email__endswith="@acme.test")
        .exclude(user__isnull=False)
        .values_list("name", flat=True)
    )
    assert {"Vera Vega", "Pablo Paz Prado"} <= names
    again = importer.run("reps", "users.csv", HUBSPOT_USERS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_users_row_with_neither_name_part_is_refused(importer, world) -> None:
    result = importer.run("reps", "users.csv", "First Name,Last Name,Email\n,,nobody@acme.test\n")
    assert not result.applied
    assert lines(result) == ["row 2, column First Name: A value is required."]


def test_refused_namesake_lists_what_tells_the_customers_apart(importer, world) -> None:
    owner = world.members["rita"]
    f.CustomerFactory(organization=world.acme, owner=owner, name="Iberia Foods",
                      external_id="ACC-1", email="buy@iberiafoods.es", city="Madrid")  # fmt: skip
    f.CustomerFactory(organization=world.acme, owner=owner, name="Iberia Foods",
                      external_id="", email="", city="Lisboa")  # fmt: skip
    text = (
        "Name,Owner,Account,Stage,Amount,Created\n"
        "Big order,Rita,Iberia Foods,Proposal,100,2026-03-01\n"
    )
    result = importer.run("deals", "deals.csv", text)
    assert not result.applied
    assert lines(result) == [
        "row 2, column Account: Iberia Foods names more than one customer: "
        "Iberia Foods (external id ACC-1, buy@iberiafoods.es, Madrid); "
        "Iberia Foods (no external id, Lisboa). Use the external id or email, or save an alias."
    ]
    assert not Deal.objects.filter(name="Big order").exists()
    # The external id the refusal showed names the customer.
    fixed = importer.run("deals", "deals.csv", text.replace(",Iberia Foods,", ",ACC-1,"))
    assert fixed.ok and fixed.applied, lines(fixed)
    assert Deal.objects.get(name="Big order").customer.city == "Madrid"


def test_open_deal_saved_without_amount_reads_no_value_yet(world) -> None:
    client = world.client("rita")
    response = client.post(reverse("sales:deal_create"), deal_data(world, [], amount=""))
    assert response.status_code == 302
    deal = Deal.objects.get(name="Fleet renewal")
    assert (deal.amount, deal.amount_base) == (Decimal("0"), None)
    detail = client.get(reverse("sales:deal_detail", args=[deal.pk])).content.decode()
    assert "no value yet" in detail and "€0.00" not in detail
    listed = client.get(reverse("sales:deal_list"), {"q": "Fleet"}).content.decode()
    assert "no value yet" in listed
    # Its edit page leaves the amount blank; saved as it is, it still has no value.
    url = reverse("sales:deal_edit", args=[deal.pk])
    as_shown = form_submission(client.get(url), url)
    assert as_shown is not None and as_shown["amount"] == ""
    assert client.post(url, as_shown).status_code == 302
    deal.refresh_from_db()
    assert (deal.amount, deal.amount_base) == (Decimal("0"), None)
    # A value typed later is a value.
    as_shown = form_submission(client.get(url), url)
    assert as_shown is not None
    as_shown["amount"] = "250"
    assert client.post(url, as_shown).status_code == 302
    deal.refresh_from_db()
    assert (deal.amount, deal.amount_base) == (Decimal("250.00"), Decimal("250.00"))
