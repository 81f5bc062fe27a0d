"""Deals files with one row per deal line."""

from __future__ import annotations

from decimal import Decimal

from rumbo.sales.models import Deal, DealLine
from tests.imports.conftest import lines

LINES = """Deal ID,Deal,Owner,Customer,Stage,Closed on,Created on,Product,Quantity,Unit price
L-1,Two widgets,Rita,Rita customer,won,2026-03-05,2026-03-01,Acme widget,2,100
L-1,Two widgets,Rita,Rita customer,won,2026-03-05,2026-03-01,Gear,1,"50,5"
L-2,One gear,Rita,Rita customer,open,,2026-03-02,Gear,3,
"""


def _setup(importer) -> None:  # type: ignore[no-untyped-def]
    assert importer.run("products", "p.csv", "SKU,Name,Price\nG-1,Gear,7\n").ok


def test_lines_make_deals_whose_amount_is_their_total(importer, world) -> None:
    _setup(importer)
    result = importer.run("deals", "lines.csv", LINES)
    assert result.ok, lines(result)
    assert (result.rows, result.created) == (3, 2)
    two = Deal.objects.get(organization=world.acme, external_id="L-1")
    assert two.amount == Decimal("250.50") and two.outcome == "won"
    assert sorted((ln.product.name, ln.quantity) for ln in two.lines.all()) == [
        ("Acme widget", Decimal("2.00")), ("Gear", Decimal("1.00"))]  # fmt: skip
    gear = Deal.objects.get(external_id="L-2")
    assert gear.amount == Decimal("21.00")  # three at the list price
    again = importer.run("deals", "lines.csv", LINES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), lines(again)
    line_ids = set(DealLine.objects.values_list("id", flat=True))
    edited = LINES.replace("Gear,3,", "Gear,4,")
    result = importer.run("deals", "lines.csv", edited)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1), lines(result)
    assert Deal.objects.get(external_id="L-2").amount == Decimal("28.00")
    kept = set(DealLine.objects.filter(deal=two).values_list("id", flat=True))
    assert kept <= line_ids  # the unchanged deal's lines were left alone


def test_rows_of_one_deal_must_agree(importer, world) -> None:
    _setup(importer)
    row = "L-1,Two widgets,{},Rita customer,won,2026-03-05,2026-03-01,Gear"
    bad = LINES.replace(row.format("Rita"), row.format("Nina"))
    result = importer.run("deals", "lines.csv", bad)
    assert lines(result) == ["row 3, column Owner: The same deal as row 2 with a different owner."]
    assert not Deal.objects.filter(external_id="L-1").exists()


def test_techniques_of_deals(importer, world) -> None:
    importer.run("techniques", "t.csv", "Name\nConsultative\n")
    text = ("id,name,owner,amount,techniques\nT-1,Taught,Rita,5,Acme SPIN; Consultative\n"
            "T-2,Plain,Rita,5,\n")  # fmt: skip
    assert importer.run("deals", "d.csv", text).ok
    taught = Deal.objects.get(organization=world.acme, external_id="T-1")
    assert sorted(t.name for t in taught.techniques.all()) == ["Acme SPIN", "Consultative"]
    again = importer.run("deals", "d.csv", text)
    assert (again.updated, again.unchanged) == (0, 2)
    fewer = importer.run("deals", "d.csv", text.replace("; Consultative", ""))
    assert (fewer.updated, fewer.unchanged) == (1, 1)
    assert [t.name for t in taught.techniques.all()] == ["Acme SPIN"]
    typo = importer.run("deals", "d.csv", text.replace("Consultative", "Consultive"))
    assert typo.problems[0].suggestions == ("Consultative",)


def test_line_rows_without_an_id_or_a_creation_date_fold_by_name(importer, world) -> None:
    # A deal with no creation date (kept empty) and no external id is known by its
    # name alone: its rows fold into one deal and each line lands on its own deal.
    _setup(importer)
    text = ("Deal,Owner,Customer,Stage,Closed on,Product,Quantity,Unit price\n"
            "Pair,Rita,Rita customer,won,2026-03-05,Acme widget,2,100\n"
            "Pair,Rita,Rita customer,won,2026-03-05,Gear,1,5\n"
            "Single,Rita,Rita customer,won,2026-03-06,Gear,3,\n")  # fmt: skip
    result = importer.run("deals", "nodates.csv", text)
    assert result.ok, lines(result)
    assert (result.rows, result.created) == (3, 2)
    pair = Deal.objects.get(organization=world.acme, name="Pair")
    single = Deal.objects.get(organization=world.acme, name="Single")
    assert pair.amount == Decimal("205.00") and single.amount == Decimal("21.00")
    assert sorted((ln.product.name, ln.quantity) for ln in pair.lines.all()) == [
        ("Acme widget", Decimal("2.00")), ("Gear", Decimal("1.00"))]  # fmt: skip
    assert [(ln.product.name, ln.quantity) for ln in single.lines.all()] == [
        ("Gear", Decimal("3.00"))]  # fmt: skip
    again = importer.run("deals", "nodates.csv", text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), lines(again)
    assert DealLine.objects.filter(deal__organization=world.acme).count() == 3
