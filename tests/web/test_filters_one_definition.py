"""A list's filters are defined once: the page's filter form and the API's
query parameters name the same filters (a record as `<name>_id` in the API)
and pick the same rows. They had drifted — `created_from`/`created_to` on the
API's deals only, a date range on the API's rates and complaints only, the
contacts' search reading the customer's name on the page only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rumbo.sales import views
from rumbo.sales.models import Deal
from tests import factories as f
from tests.dashboards.page import Page
from tests.goals.conftest import make_goal
from tests.tenancy.api_client import API, bearer, call

pytestmark = pytest.mark.django_db
PAGING = {"page", "page_size", "ordering"}
LISTS = {  # API path -> the page's resource
    "customers": views.customers, "contacts": views.contacts, "products": views.products,
    "techniques": views.techniques, "rates": views.exchange_rates, "deals": views.deals,
    "activities": views.activities, "surveys": views.survey_responses,
    "complaints": views.complaints,
}  # fmt: skip


def _page_names(resource) -> set[str]:  # type: ignore[no-untyped-def]
    names = set()
    for name, flt in resource.filterset_class.base_filters.items():
        record = hasattr(flt, "queryset") or "ModelChoice" in type(flt).__name__
        names.add(f"{name}_id" if record else name)
    return names


def test_every_sales_list_has_the_same_filters_on_the_page_and_in_the_api(db) -> None:  # type: ignore[no-untyped-def]
    document = Client().get(f"{API}/openapi.json").json()
    for path, resource in LISTS.items():
        operation = document["paths"][f"{API}/{path}"]["get"]
        api = {p["name"] for p in operation["parameters"] if p["in"] == "query"} - PAGING
        assert api == _page_names(resource), path
    deals = {p["name"] for p in document["paths"][f"{API}/deals"]["get"]["parameters"]}
    assert {"created_from", "created_to", "closed_from", "closed_to"} <= deals


def _deal(world, name: str, created: dt.date) -> Deal:  # type: ignore[no-untyped-def]
    return f.DealFactory(organization=world.acme, owner=world.rita, name=name,
                         customer=world.records["rita"].customer, outcome="open",
                         amount=Decimal("10.00"), amount_base=Decimal("10.00"),
                         created_on=created)  # fmt: skip


def test_created_from_picks_the_same_deals_on_the_page_and_in_the_api(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    _deal(world, "Older deal", today - dt.timedelta(days=30))
    _deal(world, "Newer deal", today - dt.timedelta(days=2))
    since = (today - dt.timedelta(days=10)).isoformat()
    html = world.client("rita").get(reverse("sales:deal_list"), {"created_from": since})
    shown = Page(html.content).root.text()
    assert "Newer deal" in shown and "Older deal" not in shown
    api = call(bearer(world.rita), "GET", f"/deals?created_from={since}").json()
    names = {item["name"] for item in api["items"]}
    assert "Newer deal" in names and "Older deal" not in names
    page_rows = {d.name for d in html.context["page"].object_list}
    assert page_rows == names


def test_contact_search_reads_the_customer_name_in_the_api_too(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    f.ContactFactory(organization=world.acme, customer=customer, name="Zed Person")
    word = customer.name.split()[0]
    api = call(bearer(world.rita), "GET", f"/contacts?q={word}").json()
    assert "Zed Person" in {item["name"] for item in api["items"]}


def test_people_teams_and_goals_have_the_same_filters_on_the_page_and_in_the_api(db) -> None:  # type: ignore[no-untyped-def]
    from rumbo.goals.views import goals
    from rumbo.tenancy.views import members, teams

    document = Client().get(f"{API}/openapi.json").json()
    for path, resource in {"members": members, "teams": teams, "goals": goals}.items():
        operation = document["paths"][f"{API}/{path}"]["get"]
        api = {p["name"] for p in operation["parameters"] if p["in"] == "query"} - PAGING
        assert api == _page_names(resource), path
        # What the API had before the page took it over is still there.
    goal_params = {p["name"] for p in document["paths"][f"{API}/goals"]["get"]["parameters"]}
    assert {"member_id", "team_id", "ends_after", "starts_before", "current", "q"} <= goal_params


def test_people_search_ignores_accents_in_the_api_as_on_the_page(world) -> None:  # type: ignore[no-untyped-def]
    f.MemberFactory(organization=world.acme, name="José Núñez", email="")
    html = world.client("alice").get(reverse("tenancy:member_list"), {"q": "nunez jose"})
    assert "José Núñez" in Page(html.content).root.text()
    api = call(bearer(world.alice), "GET", "/members?q=nunez%20jose").json()
    assert [item["name"] for item in api["items"]] == ["José Núñez"]


def test_goals_running_today_pick_the_same_goals_on_the_page_and_in_the_api(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    year = dt.timedelta(days=365)
    make_goal(world, "mark", member=world.rita, name="Goal now",
              start=today - dt.timedelta(days=5), end=today + dt.timedelta(days=5))
    make_goal(world, "mark", member=world.rita, name="Goal last year",
              start=today - year - dt.timedelta(days=30), end=today - year)  # fmt: skip
    html = world.client("rita").get(reverse("goals:goal_list"), {"current": "true"})
    shown = Page(html.content).root.text()
    assert "Goal now" in shown and "Goal last year" not in shown
    api = call(bearer(world.rita), "GET", "/goals?current=true").json()
    names = {item["name"] for item in api["items"]}
    assert "Goal now" in names and "Goal last year" not in names
