"""GET /api/v1/search: the same grouped results as the page, the caller's only."""

from __future__ import annotations

import pytest

from tests.personas import World
from tests.tenancy.api_client import bearer, call, fields

pytestmark = pytest.mark.django_db


def test_the_api_answers_grouped_results_with_counts(named: World) -> None:
    response = call(bearer(named.rita), "GET", "/search?q=munoz")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "munoz"
    groups = {g["kind"]: g for g in body["groups"]}
    assert set(groups) == {"customers", "contacts", "deals"}
    customers = groups["customers"]
    assert customers["count"] == 1 and customers["label"] == "Customers"
    assert customers["results"][0]["title"] == "Muñoz Hermanos"
    assert customers["results"][0]["hint"] == "Sevilla · ventas@munoz-sevilla.example"
    assert customers["results"][0]["url"] == f"/customers/{customers['results'][0]['id']}/"
    assert customers["more_url"] == ""


def test_the_api_never_answers_another_organisations_records(named: World) -> None:
    body = call(bearer(named.oscar), "GET", "/search?q=munoz").json()
    assert [r["title"] for g in body["groups"] for r in g["results"]] == ["Muñoz Globex"]


def test_the_api_limit_and_more_link(named: World) -> None:
    body = call(bearer(named.alice), "GET", "/search?q=munoz&limit=1").json()
    customers = next(g for g in body["groups"] if g["kind"] == "customers")
    assert customers["count"] == 3 and len(customers["results"]) == 1
    assert customers["more_url"] == "/customers/?q=munoz"


@pytest.mark.parametrize("query", ["r", "%20r%20", "x" * 101, "ri%1Bta", "ri%00ta"])
def test_the_api_refuses_a_bad_query_naming_q(world: World, query: str) -> None:
    assert fields(call(bearer(world.rita), "GET", f"/search?q={query}")) == {"q"}


def test_the_api_needs_authentication(world: World) -> None:
    from django.test import Client

    assert call(Client(), "GET", "/search?q=rita").status_code == 401


def test_the_search_operation_is_documented(world: World) -> None:
    document = call(bearer(world.rita), "GET", "/openapi.json").json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert operation["operationId"] == "search"
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit"}
