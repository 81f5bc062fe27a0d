"""`/lookup/<kind>/?q=`: the type-to-search behind customer and deal choices.
It answers only with records the viewer may see; other organisations' ids 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from rumbo.web.lookup import LIMIT
from tests import factories as f

pytestmark = pytest.mark.django_db


def labels(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row["label"] for row in response.json()["results"]]


def test_rep_finds_only_her_own_customers(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("lookup", args=["customer"])
    assert labels(world.client("rita").get(url, {"q": "customer"})) == ["Rita customer"]
    assert labels(world.client("mark").get(url, {"q": "customer"})) == [
        "Mark customer", "Nina customer", "Rita customer",
    ]  # fmt: skip
    assert "Olga customer" not in labels(world.client("alice").get(url, {"q": "customer"}))


def test_search_matches_every_word_in_any_field(world) -> None:  # type: ignore[no-untyped-def]
    f.CustomerFactory(organization=world.acme, owner=world.rita, name="Bodega Sol", city="Cádiz")
    f.CustomerFactory(organization=world.acme, owner=world.rita, name="Bodega Luna", city="Vigo")
    url = reverse("lookup", args=["customer"])
    client = world.client("rita")
    assert labels(client.get(url, {"q": "bodega"})) == ["Bodega Luna", "Bodega Sol"]
    assert labels(client.get(url, {"q": "bodega cádiz"})) == ["Bodega Sol"]
    hint = client.get(url, {"q": "sol"}).json()["results"][0]["hint"]
    assert hint == "Cádiz · Rita"


def test_results_are_capped_and_say_there_are_more(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(LIMIT + 3):
        f.CustomerFactory(organization=world.acme, owner=world.rita, name=f"Many {i:02d}")
    data = world.client("rita").get(reverse("lookup", args=["customer"]), {"q": "many"}).json()
    assert len(data["results"]) == LIMIT and data["more"] is True


def test_deal_lookup_narrows_to_the_chosen_customer(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    other = f.CustomerFactory(organization=world.acme, owner=world.rita)
    f.DealFactory(organization=world.acme, owner=world.rita, customer=other, name="Elsewhere")
    url = reverse("lookup", args=["deal"])
    client = world.client("rita")
    assert set(labels(client.get(url))) == {"Rita deal", "Elsewhere"}
    assert labels(client.get(url, {"customer": customer.pk})) == ["Rita deal"]


def test_other_organisations_and_unseen_ids_answer_404(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    olga = world.records["olga"]
    sofia = world.records["sofia"]
    deals = reverse("lookup", args=["deal"])
    customers = reverse("lookup", args=["customer"])
    assert client.get(deals, {"customer": olga.customer.pk}).status_code == 404
    assert client.get(deals, {"customer": sofia.customer.pk}).status_code == 404
    assert client.get(customers, {"id": olga.customer.pk}).status_code == 404
    assert client.get(customers, {"id": "abc"}).status_code == 404
    own = client.get(customers, {"id": world.records["rita"].customer.pk})
    assert labels(own) == ["Rita customer"]


def test_unknown_kind_is_404_and_anonymous_visitors_are_sent_to_log_in(world, client) -> None:  # type: ignore[no-untyped-def]
    assert world.client("rita").get(reverse("lookup", args=["member"])).status_code == 404
    response = client.get(reverse("lookup", args=["customer"]), {"q": "rita"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_lookup_widget_posts_an_id_and_shows_the_chosen_label(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    activity = world.records["rita"].activity
    html = world.client("rita").get(reverse("sales:activity_edit", args=[activity.pk]))
    page = html.content.decode()
    assert f'<input type="hidden" name="customer" value="{customer.pk}" id="id_customer"' in page
    assert 'id="id_customer_search" value="Rita customer"' in page
    assert 'data-lookup-depends="customer"' in page  # the deal search follows the customer
    assert 'for="id_customer_search"' in page


def test_lookup_query_count_does_not_grow_with_matches(  # type: ignore[no-untyped-def]
    world, django_assert_max_num_queries
) -> None:
    for i in range(30):
        customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name=f"Shop {i}")
        f.DealFactory(organization=world.acme, owner=world.rita, customer=customer)
    client = world.client("rita")
    customer = world.records["rita"].customer
    # Session, user, member, (the narrowing customer), the matches with their labels.
    with django_assert_max_num_queries(4):
        client.get(reverse("lookup", args=["customer"]), {"q": "shop"})
    with django_assert_max_num_queries(5):
        client.get(reverse("lookup", args=["deal"]), {"customer": customer.pk})


def _namesakes(world) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Two customers of one name, told apart by external id, city and email."""
    details = [("CRM-101", "Sevilla", "buy@foods-sevilla.example"),
               ("CRM-202", "Bilbao", "orders@foods-bilbao.example")]  # fmt: skip
    for external_id, city, email in details:
        f.CustomerFactory(organization=world.acme, name="Namesake Foods",
                          owner=world.members["rita"], external_id=external_id, city=city,
                          email=email)  # fmt: skip
    return details


def test_namesakes_are_told_apart_in_the_lookup_by_city_email_and_external_id(world) -> None:  # type: ignore[no-untyped-def]
    details = _namesakes(world)
    url = reverse("lookup", args=["customer"])
    rows = world.client("alice").get(url, {"q": "Namesake"}).json()["results"]
    assert [row["label"] for row in rows] == ["Namesake Foods", "Namesake Foods"]
    hints = sorted(row["hint"] for row in rows)  # Bilbao first, as the details by city
    by_city = sorted(details, key=lambda d: d[1])
    for (external_id, city, email), hint in zip(by_city, hints, strict=True):
        assert city in hint and email in hint and external_id in hint


def test_namesakes_are_told_apart_in_the_customer_list(world) -> None:  # type: ignore[no-untyped-def]
    details = _namesakes(world)
    html = world.client("alice").get(reverse("sales:customer_list"), {"q": "Namesake"})
    text = html.content.decode()
    for detail in (value for row in details for value in row):
        assert detail in text
