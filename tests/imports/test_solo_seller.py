"""An independent seller's own files rarely name an owner: she is the only
seller, so what they hold is hers. An organisation with people still has to
say whose each deal is."""

from __future__ import annotations

from pathlib import Path

import pytest

from rumbo.imports.services import import_file
from rumbo.sales.models import Customer, Deal
from rumbo.tenancy.models import Member
from tests.imports.conftest import lines
from tests.solo import make_seller

pytestmark = pytest.mark.django_db

CUSTOMERS = "Name,City\nBodega Sol,Madrid\nCafé Luna,Sevilla\n"
DEALS = ("Deal,Customer,Amount,Stage,Close date,Created\n"
         "Sol order,Bodega Sol,1200,won,2026-11-20,2026-11-01\n"
         "Luna order,Café Luna,800,open,,2026-11-15\n")  # fmt: skip


@pytest.fixture
def seller() -> Member:
    return make_seller()


def run(actor: Member, tmp_path: Path, kind: str, text: str) -> list[str]:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return lines(import_file(actor=actor, kind=kind, path=path, file_name=path.name))


def test_her_customers_and_deals_are_hers_without_an_owner_column(seller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run(seller, tmp_path, "customers", CUSTOMERS) == []
    assert run(seller, tmp_path, "deals", DEALS) == []
    customers = Customer.objects.filter(organization=seller.organization)
    assert sorted(customers.values_list("name", "owner__name")) == [
        ("Bodega Sol", "Ana Ruiz"), ("Café Luna", "Ana Ruiz")]  # fmt: skip
    deals = Deal.objects.filter(organization=seller.organization)
    assert sorted(deals.values_list("name", "owner__name", "outcome")) == [
        ("Luna order", "Ana Ruiz", "open"), ("Sol order", "Ana Ruiz", "won")]  # fmt: skip


def test_a_blank_owner_cell_is_hers_too(seller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(seller, tmp_path, "customers", CUSTOMERS)
    text = "Deal,Owner,Customer,Amount,Stage\nOne,,Bodega Sol,10,open\n"
    assert run(seller, tmp_path, "deals", text) == []
    assert Deal.objects.get(name="One").owner == seller


def test_an_organisation_with_people_still_names_the_owner(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    found = run(world.alice, tmp_path, "deals", "name,amount\nOne,5\n")
    assert found == ["row 1, column owner: No column holds the owner; name a column for it."]
    assert not Deal.objects.filter(name="One").exists()
