"""The search box's dropdown (htmx) and the full results page (no JavaScript),
in English and Spanish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import World

pytestmark = pytest.mark.django_db

URL = "/search/"


def test_every_page_has_the_search_box_in_its_navigation(world: World) -> None:
    response = world.client("rita").get(reverse("home"))
    html = response.content.decode()
    assert 'data-testid="search-box"' in html
    assert f'hx-get="{URL}"' in html and 'hx-trigger="input changed delay:250ms' in html


def test_the_dropdown_is_a_fragment_grouped_with_counts(named: World) -> None:
    response = named.client("mark").get(URL, {"q": "munoz"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<nav" not in html
    assert 'data-testid="search-group-customers"' in html
    assert 'data-testid="search-group-contacts"' in html
    assert 'data-testid="search-group-deals"' in html
    # Mark sees Rita's and Nina's Muñoz Hermanos, not Sofia's MUÑOZ Trading.
    assert html.count("Muñoz Hermanos</a>") == 2 and "Trading" not in html
    assert "Sevilla" in html and "Bilbao" in html
    assert f'href="{URL}?q=munoz"' in html
    assert "HX-Request" in response["Vary"]


def test_the_full_page_works_without_javascript(named: World) -> None:
    response = named.client("rita").get(URL, {"q": "Muñoz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<nav" in html and 'value="Muñoz"' in html
    assert "Muñoz Hermanos" in html and "Bilbao" not in html
    assert "3 records found" in html  # customer, contact, deal


def test_a_kind_with_more_matches_links_to_its_list_filtered(world: World) -> None:
    from tests import factories as f

    for n in range(7):
        f.CustomerFactory(organization=world.acme, owner=world.rita, name=f"Ferretería {n}")
    html = world.client("rita").get(URL, {"q": "ferre"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('data-testid="search-result"') == 5
    assert '<span class="badge rounded-pill text-bg-secondary" data-testid="search-count">7' in html
    assert 'href="/customers/?q=ferre"' in html


def test_another_reps_records_are_not_in_the_page(world: World) -> None:
    html = world.client("rita").get(URL, {"q": "sofia"}).content.decode()
    assert "Sofia customer" not in html and "0 records found" in html


def test_a_short_query_asks_for_more_and_a_bad_one_says_why(world: World) -> None:
    client = world.client("rita")
    response = client.get(URL, {"q": "r"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "at least 2 characters" in response.content.decode()
    response = client.get(URL, {"q": "ri\x1bta"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Remove the control characters" in response.content.decode()
    response = client.get(URL, {"q": "x" * 101})
    assert response.status_code == 400 and "at most 100 characters" in response.content.decode()
    assert client.get(URL).status_code == 200  # the empty page


def test_the_page_needs_a_login() -> None:
    from django.test import Client

    response = Client().get(URL, {"q": "rita"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_spanish_page_speaks_spanish(named: World) -> None:
    user = named.rita.user
    user.language = "es"
    user.save()
    html = named.client("rita").get(URL, {"q": "munoz"}).content.decode()
    assert 'lang="es"' in html
    assert ">Buscar<" in html or "Buscar</" in html
    for label in ("Clientes", "Contactos", "Negocios"):
        assert f"<span>{label}</span>" in html
    assert "Negociación" in html  # the deal's stage in the hint


def test_see_all_lists_what_the_box_counted(named: World) -> None:
    # The lists' own search folds accents and matches word by word as the box
    # does: "munoz hermanos" finds Mark's two "Muñoz Hermanos" on both.
    mark = named.client("mark")
    box = mark.get(URL, {"q": "munoz hermanos"}, HTTP_HX_REQUEST="true").content.decode()
    assert box.count("Muñoz Hermanos</a>") == 2
    listed = mark.get(reverse("sales:customer_list"), {"q": "munoz hermanos"}).content.decode()
    assert listed.count("Muñoz Hermanos") >= 2 and "Trading" not in listed
    assert 'data-testid="result-count">2 records' in listed
    goals = named.client("rita").get(reverse("goals:goal_list"), {"q": "rita q1"}).content.decode()
    assert "Rita Q1 revenue" in goals and "Sofia Q1" not in goals
