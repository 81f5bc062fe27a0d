"""A pipeline export keyed by opportunity id carries no deal name (the public
sample CRM's sales_pipeline.csv): the id names each deal, and a row with
neither is refused on its row."""

from __future__ import annotations

from pathlib import Path

import pytest

from rumbo.sales.models import Deal
from tests.imports.conftest import Importer
from tests.personas import World

pytestmark = pytest.mark.django_db

CUSTOMERS = "Name\nBetasoloin\nCancity\n"
PIPELINE = (
    "opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value\n"
    "1C1I7A6R,Rita,Betasoloin,Won,2026-10-20,2026-11-02,1054\n"
    "Z063OYW0,Rita,Cancity,Lost,2026-10-25,2026-11-07,0\n"
)


def test_a_pipeline_without_deal_names_is_named_by_its_ids(world: World, tmp_path: Path) -> None:
    importer = Importer(world, tmp_path)
    assert importer.run("customers", "accounts.csv", CUSTOMERS).ok
    result = importer.run("deals", "sales_pipeline.csv", PIPELINE)
    assert result.ok, result.problems
    won = Deal.objects.get(organization=world.acme, external_id="1C1I7A6R")
    assert won.name == "1C1I7A6R" and won.amount == 1054 and won.outcome == "won"
    assert Deal.objects.get(organization=world.acme, external_id="Z063OYW0").name == "Z063OYW0"


def test_a_deal_with_neither_name_nor_id_is_refused_on_its_row(
    world: World, tmp_path: Path
) -> None:
    importer = Importer(world, tmp_path)
    assert importer.run("customers", "accounts.csv", CUSTOMERS).ok
    text = PIPELINE + ",Rita,Cancity,Won,2026-10-25,2026-11-07,500\n"
    result = importer.run("deals", "sales_pipeline.csv", text)
    assert not result.ok
    assert [p.row for p in result.problems] == [4]
    assert "name" in result.problems[0].reason
    assert not Deal.objects.filter(organization=world.acme, external_id="1C1I7A6R").exists()
