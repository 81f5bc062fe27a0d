"""What the search finds for whom: each person only what they may see (the one
access path), accent- and case-blind, grouped by kind with a count per kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rumbo.search.selectors import Group, clean_query, search
from tests import factories as f
from tests.personas import World

pytestmark = pytest.mark.django_db


def found(world: World, who: str, query: str, limit: int = 20) -> dict[str, Group]:
    return {g.key: g for g in search(member=world.members[who], query=query, limit=limit)}


def titles(group: Group | None) -> list[str]:
    return [r.title for r in group.results] if group else []


def test_rep_finds_her_own_customer_and_deal_but_no_one_elses(world: World) -> None:
    groups = found(world, "rita", "customer")
    assert titles(groups["customers"]) == ["Rita customer"]
    assert "Sofia" not in str(groups) and "Olga" not in str(groups) and "Nina" not in str(groups)
    assert titles(found(world, "rita", "deal")["deals"]) == ["Rita deal"]
    assert found(world, "rita", "sofia") == {}


def test_manager_finds_the_teams_below_not_the_sibling_team(world: World) -> None:
    customers = titles(found(world, "mark", "customer")["customers"])
    assert sorted(customers) == ["Mark customer", "Nina customer", "Rita customer"]


def test_another_organisation_is_never_found(world: World) -> None:
    assert found(world, "alice", "olga") == {}
    assert titles(found(world, "oscar", "customer")["customers"]) == ["Olga customer"]


def test_accents_and_case_do_not_matter(named: World) -> None:
    assert titles(found(named, "rita", "munoz")["customers"]) == ["Muñoz Hermanos"]
    assert titles(found(named, "rita", "MUNOZ hermanos")["customers"]) == ["Muñoz Hermanos"]
    assert titles(found(named, "rita", "alvarez")["customers"]) == ["Álvarez Pérez SL"]
    assert titles(found(named, "rita", "ÁLVAREZ PÉREZ")["customers"]) == ["Álvarez Pérez SL"]
    assert titles(found(named, "rita", "iñigo")["contacts"]) == ["Íñigo Muñoz"]
    # The admin sees every Acme Muñoz, Globex's never.
    assert titles(found(named, "alice", "muñoz")["customers"]) == [
        "Muñoz Hermanos", "Muñoz Hermanos", "MUÑOZ Trading",
    ]  # fmt: skip


def test_namesakes_are_told_apart_by_their_hints(named: World) -> None:
    customers = found(named, "mark", "munoz hermanos")["customers"]
    hints = sorted(r.hint for r in customers.results)
    assert hints == ["Bilbao · CRM-77", "Sevilla · ventas@munoz-sevilla.example"]
    deal = found(named, "rita", "renewal")["deals"].results[0]
    assert deal.hint == "Muñoz Hermanos · €4,500.00 · Negotiation"
    nina = found(named, "mark", "nina")["people"].results[0]
    assert nina.hint.startswith("North-East · Rep")
    assert (
        found(named, "rita", "munoz")["contacts"]
        .results[0]
        .hint.startswith("Muñoz Hermanos · Buyer")
    )


def test_a_word_may_be_in_any_field_and_every_word_must_match(named: World) -> None:
    # "sevilla" is the city, "munoz" the name: both words found, on one customer.
    assert titles(found(named, "mark", "sevilla munoz")["customers"]) == ["Muñoz Hermanos"]
    assert "customers" not in found(named, "mark", "sevilla trading")


def test_deals_are_found_by_their_customers_name(named: World) -> None:
    assert titles(found(named, "rita", "hermanos")["deals"]) == ["Muñoz renewal"]


def test_goals_are_found_as_their_owner_sees_them(named: World) -> None:
    assert titles(found(named, "rita", "q1 revenue")["goals"]) == ["Rita Q1 revenue"]
    assert sorted(titles(found(named, "alice", "q1 revenue")["goals"])) == [
        "Rita Q1 revenue", "Sofia Q1 revenue",
    ]  # fmt: skip


def test_people_a_rep_finds_are_herself_only(world: World) -> None:
    assert titles(found(world, "rita", "rita").get("people")) == ["Rita"]
    assert "people" not in found(world, "rita", "nina")
    assert titles(found(world, "mark", "nina")["people"]) == ["Nina"]
    assert "people" not in found(world, "mark", "sofia")


def test_counts_per_kind_and_a_link_to_the_filtered_list(world: World) -> None:
    for n in range(7):
        f.CustomerFactory(organization=world.acme, owner=world.rita, name=f"Ferretería {n}")
    group = found(world, "rita", "ferreteria", limit=5)["customers"]
    assert group.count == 7 and len(group.results) == 5
    assert group.more_url == "/customers/?q=ferreteria"
    group = found(world, "rita", "ferreteria", limit=20)["customers"]
    assert group.count == 7 and len(group.results) == 7 and group.more_url == ""


def test_names_starting_with_the_query_come_first(world: World) -> None:
    for name in ("Mariana Óptica", "Ana Óptica", "Banana Óptica"):
        f.CustomerFactory(organization=world.acme, owner=world.rita, name=name)
    assert titles(found(world, "rita", "ana")["customers"])[0] == "Ana Óptica"


def test_search_wildcards_are_plain_characters(world: World) -> None:
    f.CustomerFactory(organization=world.acme, owner=world.rita, name="100% Natural")
    assert titles(found(world, "rita", "100%")["customers"]) == ["100% Natural"]
    assert found(world, "rita", "%%") == {} and found(world, "rita", "__") == {}


def test_the_query_is_bounded_and_control_characters_refused() -> None:
    assert clean_query("  Muñoz   Hermanos ") == "Muñoz Hermanos"
    with pytest.raises(ValidationError, match="control characters"):
        clean_query("mu\x00noz")
    with pytest.raises(ValidationError, match="at most 100"):
        clean_query("x" * 101)
    assert clean_query("x" * 100) == "x" * 100


def test_too_short_finds_nothing(world: World) -> None:
    assert search(member=world.alice, query="r") == []


def test_the_search_reads_in_a_fixed_number_of_queries(named: World) -> None:
    """One query per kind, a count only where the page of rows is full, and the
    manager's team tree once: whatever the number of matches."""
    for n in range(12):
        f.CustomerFactory(organization=named.acme, owner=named.rita, name=f"Muñoz {n}")
    member = named.members["mark"]
    with CaptureQueriesContext(connection) as queries:
        groups = search(member=member, query="munoz", limit=5)
    assert {g.key for g in groups} == {"customers", "contacts", "deals"}
    # team tree 1 + 5 kinds + 1 count (customers: 14 > 5)
    assert len(queries) == 7, [q["sql"] for q in queries.captured_queries]
