"""Versions: a change based on an older copy of a record is refused, in the API
(409, `version` in the body or an `If-Match` header) and on the edit pages
(409, the form kept with the user's input and what changed since it was
opened). Without a version the API still applies a change. ADR 0010."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from rumbo.goals.models import Goal
from rumbo.sales.models import Customer, Deal, DealLine, Product
from tests.access.formdata import form_submission, post_form, submission
from tests.goals.conftest import make_goal
from tests.imports.conftest import Importer
from tests.personas import World
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


def test_api_shows_the_version_and_refuses_a_stale_one(world: World) -> None:
    deal = world.records["rita"].deal
    rita = bearer(world.rita)
    assert call(rita, "GET", f"/deals/{deal.pk}").json()["version"] == 1
    saved = call(rita, "PATCH", f"/deals/{deal.pk}", {"name": "First", "version": 1})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = call(rita, "PATCH", f"/deals/{deal.pk}", {"name": "Second", "version": 1})
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    header = rita.patch(f"/api/v1/deals/{deal.pk}", {"name": "Third"},
                        content_type="application/json", headers={"If-Match": '"1"'})  # fmt: skip
    assert header.status_code == 409
    assert Deal.objects.get(pk=deal.pk).name == "First"
    bad = rita.patch(f"/api/v1/deals/{deal.pk}", {"name": "Fourth"},
                     content_type="application/json", headers={"If-Match": "later"})  # fmt: skip
    assert bad.status_code == 422


def test_api_delete_with_a_stale_if_match_is_refused(world: World) -> None:
    customer = Customer.objects.create(organization=world.acme, owner=world.rita, name="Brief")
    Customer.objects.filter(pk=customer.pk).update(version=3)
    rita = bearer(world.rita)
    stale = rita.delete(f"/api/v1/customers/{customer.pk}", headers={"If-Match": '"2"'})
    assert stale.status_code == 409 and Customer.objects.filter(pk=customer.pk).exists()
    fresh = rita.delete(f"/api/v1/customers/{customer.pk}", headers={"If-Match": '"3"'})
    assert fresh.status_code == 204


def test_goals_carry_versions_too(world: World) -> None:
    goal = make_goal(world, "mark", team=world.teams["north"])
    mark = bearer(world.mark)
    url = f"/goals/{goal.pk}"
    assert call(mark, "PATCH", url, {"target": "5", "version": 1}).status_code == 200
    assert call(mark, "PATCH", url, {"target": "6", "version": 1}).status_code == 409
    assert Goal.objects.get(pk=goal.pk).target == 5


def test_a_stale_edit_page_keeps_the_input_and_says_what_changed(world: World) -> None:
    deal = world.records["rita"].deal
    url = reverse("sales:deal_edit", args=[deal.pk])
    rita, mark = world.client("rita"), world.client("mark")
    ritas = form_submission(rita.get(url), url)
    marks = form_submission(mark.get(url), url)
    assert ritas is not None and marks is not None and ritas["version"] == "1"
    marks["name"] = "Mark's name for it"
    assert mark.post(url, marks).status_code == 302
    ritas["name"] = "Rita's name for it"
    answer = rita.post(url, ritas)
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "Someone else changed this deal" in html
    assert "Rita&#x27;s name for it" in html  # her input, kept
    assert "Mark&#x27;s name for it" in html  # what is saved now, named
    assert Deal.objects.get(pk=deal.pk).name == "Mark's name for it"
    # The page now carries the saved version: saving again is her choice, and applies.
    form = post_form(html, url)
    assert form is not None
    again = {**submission(form), "name": "Rita's name for it"}
    assert again["version"] == "2"
    assert rita.post(url, again).status_code == 302
    assert Deal.objects.get(pk=deal.pk).name == "Rita's name for it"


def test_a_stale_goal_page_is_refused_too(world: World) -> None:
    goal = make_goal(world, "mark", team=world.teams["north"], name="North Q1")
    url = reverse("goals:goal_edit", args=[goal.pk])
    mark = world.client("mark")
    first, second = form_submission(mark.get(url), url), form_submission(mark.get(url), url)
    assert first is not None and second is not None
    first["target"] = "10"
    assert mark.post(url, first).status_code == 302
    second["target"] = "20"
    answer = mark.post(url, second)
    assert answer.status_code == 409 and "Target" in answer.content.decode()
    assert Goal.objects.get(pk=goal.pk).target == 10


def test_an_imported_change_moves_the_version_on(world: World, tmp_path: Path) -> None:
    """An edit page opened before an import cannot silently undo what it changed."""
    importer = Importer(world, tmp_path)
    first = importer.run("customers", "c.csv", "External ID,Name,Owner\nC-9,Bolt Ltd,Rita\n")
    assert first.ok, first.problems
    bolt = Customer.objects.get(external_id="C-9")
    assert bolt.version == 1
    importer.run("customers", "c.csv", "External ID,Name,Owner\nC-9,Bolt SL,Rita\n")
    assert Customer.objects.get(pk=bolt.pk).version == 2
    stale = call(bearer(world.rita), "PATCH", f"/customers/{bolt.pk}", {"name": "x", "version": 1})
    assert stale.status_code == 409
    assert Customer.objects.get(pk=bolt.pk).name == "Bolt SL"


def test_a_stale_deal_page_with_lines_shows_the_conflict_and_saves_again(world: World) -> None:
    """Saving a deal replaces its lines, so a page opened before holds line ids
    that no longer exist: it still says who changed what (not "check the product
    lines"), and saving again applies without doubling the lines."""
    deal = world.records["rita"].deal
    product = Product.objects.filter(organization=world.acme).first()
    DealLine.objects.create(deal=deal, product=product, quantity=2, unit_price=Decimal("10"))
    url = reverse("sales:deal_edit", args=[deal.pk])
    rita, mark = world.client("rita"), world.client("mark")
    ritas = form_submission(rita.get(url), url)
    marks = form_submission(mark.get(url), url)
    assert ritas is not None and marks is not None and ritas["lines-0-id"]
    marks["name"] = "Mark's name for it"
    assert mark.post(url, marks).status_code == 302
    ritas["name"] = "Rita's name for it"
    answer = rita.post(url, ritas)
    html = answer.content.decode()
    assert answer.status_code == 409 and "Someone else changed this deal" in html
    assert "Please check the product lines" not in html
    form = post_form(html, url)
    assert form is not None
    assert rita.post(url, {**submission(form), "name": "Rita's name for it"}).status_code == 302
    saved = Deal.objects.get(pk=deal.pk)
    assert saved.name == "Rita's name for it"
    assert [(line.quantity, line.unit_price) for line in saved.lines.all()] == [(2, 10)]
