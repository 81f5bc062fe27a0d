"""Sales record pages: create, edit and delete through the forms as the right
role; errors shown and nothing written; refused deletes explained; scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from rumbo.sales.models import Activity, Complaint, Contact, Customer, Product, SurveyResponse
from rumbo.tenancy.models import AuditEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


# ---- Create, edit, delete each kind of record --------------------------------


def test_rep_creates_customer_owned_by_herself(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    page = client.get(reverse("sales:customer_create"))
    assert page.status_code == 200
    response = client.post(
        reverse("sales:customer_create"),
        {"name": "Bodega Sol", "kind": "business", "owner": world.rita.pk, "country": "ES"},
    )
    customer = Customer.objects.get(name="Bodega Sol")
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:customer_detail", args=[customer.pk])
    assert customer.owner_id == world.rita.pk
    assert customer.organization_id == world.acme.pk
    assert AuditEntry.objects.filter(model="sales.customer", object_id=str(customer.pk)).exists()


def test_new_customer_form_starts_with_the_actor_as_owner(world) -> None:  # type: ignore[no-untyped-def]
    html = text(world.client("rita").get(reverse("sales:customer_create")))
    assert f'<option value="{world.rita.pk}" selected>' in html


def test_rep_edits_own_customer(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    response = world.client("rita").post(
        reverse("sales:customer_edit", args=[customer.pk]),
        {"name": "Rita renamed", "kind": "consumer", "owner": world.rita.pk},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.kind) == ("Rita renamed", "consumer")


def test_customer_form_errors_are_shown_and_nothing_is_written(world) -> None:  # type: ignore[no-untyped-def]
    before = Customer.objects.count()
    response = world.client("rita").post(
        reverse("sales:customer_create"), {"name": "", "kind": "business", "email": "not-an-email"}
    )
    assert response.status_code == 400
    html = text(response)
    assert 'data-testid="form-errors"' in html
    assert 'data-testid="error-name"' in html and 'data-testid="error-email"' in html
    assert Customer.objects.count() == before


def test_rep_cannot_assign_a_customer_to_a_sibling_rep(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("rita").post(
        reverse("sales:customer_create"),
        {"name": "Sneaky", "kind": "business", "owner": world.sofia.pk},
    )
    assert response.status_code == 400
    assert not Customer.objects.filter(name="Sneaky").exists()


def test_contact_is_created_edited_and_deleted_through_pages(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    customer = world.records["rita"].customer
    response = client.post(
        reverse("sales:contact_create"),
        {"customer": customer.pk, "name": "Lola Ruiz", "title": "Buyer", "email": "lola@x.test"},
    )
    contact = Contact.objects.get(name="Lola Ruiz")
    assert response.status_code == 302 and contact.customer_id == customer.pk
    client.post(
        reverse("sales:contact_edit", args=[contact.pk]),
        {"customer": customer.pk, "name": "Lola Ruiz", "title": "Head of buying"},
    )
    contact.refresh_from_db()
    assert contact.title == "Head of buying"
    response = client.post(reverse("sales:contact_delete", args=[contact.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:contact_list")
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_contact_for_another_organisations_customer_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    olga_customer = world.records["olga"].customer
    response = world.client("rita").post(
        reverse("sales:contact_create"), {"customer": olga_customer.pk, "name": "Spy"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-customer"' in text(response)
    assert not Contact.objects.filter(name="Spy").exists()


def test_activity_is_recorded_for_own_customer_and_deal(world) -> None:  # type: ignore[no-untyped-def]
    records = world.records["rita"]
    client = world.client("rita")
    response = client.post(
        reverse("sales:activity_create"),
        {"customer": records.customer.pk, "deal": records.deal.pk, "kind": "visit",
         "date": "2026-03-02", "outcome": "done", "owner": world.rita.pk, "notes": "Demo"},
    )  # fmt: skip
    activity = Activity.objects.get(notes="Demo")
    assert response.status_code == 302
    assert (activity.owner_id, activity.deal_id) == (world.rita.pk, records.deal.pk)
    response = client.post(reverse("sales:activity_delete", args=[activity.pk]))
    assert response.status_code == 302 and not Activity.objects.filter(pk=activity.pk).exists()


def test_activity_with_a_deal_of_another_customer_shows_the_error(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.records["rita"]
    other = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Other")
    response = world.client("rita").post(
        reverse("sales:activity_create"),
        {"customer": other.pk, "deal": rita.deal.pk, "kind": "call", "date": "2026-03-02",
         "outcome": "done", "owner": world.rita.pk, "notes": "Mismatch"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "This deal belongs to another customer." in text(response)
    assert not Activity.objects.filter(notes="Mismatch").exists()


def test_survey_response_credits_the_deal_owner_when_rep_left_empty(world) -> None:  # type: ignore[no-untyped-def]
    mark_deal = world.records["nina"].deal
    response = world.client("mark").post(
        reverse("sales:surveyresponse_create"),
        {"customer": mark_deal.customer_id, "deal": mark_deal.pk, "kind": "nps", "score": 9,
         "responded_on": "2026-03-02", "channel": "phone", "comment": "Great"},
    )  # fmt: skip
    assert response.status_code == 302
    assert SurveyResponse.objects.get(comment="Great").rep_id == world.nina.pk


def test_survey_score_out_of_range_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    response = world.client("rita").post(
        reverse("sales:surveyresponse_create"),
        {"customer": customer.pk, "kind": "csat", "score": 9, "responded_on": "2026-03-02",
         "channel": "email", "comment": "Too high"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Enter a score from 1 to 5." in text(response)
    assert not SurveyResponse.objects.filter(comment="Too high").exists()


def test_complaint_is_opened_resolved_and_reopened(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    customer = world.records["rita"].customer
    client.post(
        reverse("sales:complaint_create"),
        {"customer": customer.pk, "category": "billing", "severity": "high", "status": "open",
         "description": "Double charge"},
    )  # fmt: skip
    complaint = Complaint.objects.get(description="Double charge")
    assert complaint.rep_id == world.rita.pk and complaint.opened_at is not None
    data = {
        "customer": customer.pk, "category": "billing", "severity": "high",
        "status": "resolved", "description": "Double charge",
        "opened_at": complaint.opened_at.strftime("%Y-%m-%dT%H:%M"),
        "resolved_at": complaint.opened_at.strftime("%Y-%m-%dT23:59"),
    }  # fmt: skip
    assert (
        client.post(reverse("sales:complaint_edit", args=[complaint.pk]), data).status_code == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.resolved_at is not None
    # Reopening drops the (now hidden) resolution time instead of refusing.
    data["status"] = "in_progress"
    assert (
        client.post(reverse("sales:complaint_edit", args=[complaint.pk]), data).status_code == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.resolved_at is None


def test_admin_writes_the_product_catalogue_and_a_rep_cannot(world) -> None:  # type: ignore[no-untyped-def]
    data = {"sku": "W-2", "name": "Widget 2", "category": "Hardware", "list_price": "12.50",
            "active": "on"}  # fmt: skip
    assert world.client("rita").get(reverse("sales:product_create")).status_code == 403
    assert world.client("rita").post(reverse("sales:product_create"), data).status_code == 403
    assert world.client("alice").post(reverse("sales:product_create"), data).status_code == 302
    assert Product.objects.get(sku="W-2").organization_id == world.acme.pk


def test_new_record_form_starts_from_the_customer_it_was_asked_from(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    html = text(
        world.client("rita").get(reverse("sales:activity_create") + f"?customer={customer.pk}")
    )
    assert f'value="{customer.pk}"' in html and 'value="Rita customer"' in html


# ---- Refused deletes -------------------------------------------------------------


def test_customer_with_deals_cannot_be_deleted_and_the_page_says_why(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    client = world.client("rita")
    page = text(client.get(reverse("sales:customer_delete", args=[customer.pk])))
    assert 'data-testid="delete-refused"' in page
    assert f"/deals/?customer={customer.pk}" in page
    assert "1 deal" in page and "1 contact" in page
    response = client.post(reverse("sales:customer_delete", args=[customer.pk]))
    assert response.status_code == 409
    assert "cannot be deleted because other records depend on it" in text(response)
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_customer_without_dependants_is_deleted(world) -> None:  # type: ignore[no-untyped-def]
    lonely = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Lonely")
    client = world.client("rita")
    page = text(client.get(reverse("sales:customer_delete", args=[lonely.pk])))
    assert 'data-testid="delete-refused"' not in page and "This cannot be undone." in page
    assert client.post(reverse("sales:customer_delete", args=[lonely.pk])).status_code == 302
    assert not Customer.objects.filter(pk=lonely.pk).exists()


# ---- Scoping on pages -------------------------------------------------------------


@pytest.mark.parametrize("action", ["detail", "edit", "delete"])
def test_other_organisations_and_sibling_records_answer_404(world, action) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    for owner in ("olga", "sofia"):
        deal = world.records[owner].deal
        assert client.get(reverse(f"sales:deal_{action}", args=[deal.pk])).status_code == 404


def test_customer_page_lists_only_related_records_the_viewer_may_see(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    # Sofia (a sibling team) sells to Rita's customer too: Rita must not see that deal.
    f.DealFactory(organization=world.acme, owner=world.sofia, customer=customer, name="Hidden")
    html = text(world.client("rita").get(reverse("sales:customer_detail", args=[customer.pk])))
    assert "Rita deal" in html and "Rita contact" in html and "Hidden" not in html
    for testid in ("contact", "deal", "activity", "surveyresponse", "complaint"):
        assert f'data-testid="panel-{testid}"' in html
    assert f"/activities/?customer={customer.pk}" in html
    admin = text(world.client("alice").get(reverse("sales:customer_detail", args=[customer.pk])))
    assert "Hidden" in admin
