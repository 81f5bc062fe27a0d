"""`rumbo import FOLDER`: each file's kind from its name and header, the files in
dependency order, all or nothing (issue 15)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rumbo.imports.folder import kind_of
from rumbo.sales.models import Customer, Deal, Product
from rumbo.tenancy.models import Member
from tests.imports.test_cli import run_import as _run

REPS = "Name,Email\nZoe Ward,zoe@acme.test\nYan Li,yan@acme.test\n"
ACCOUNTS = "Account,Sales Rep,Country\nNorthwind,Zoe Ward,ES\nContoso,Yan Li,FR\n"
PRODUCTS = "SKU,Product,Price\nGTX-1,GTX Basic,550\nGTX-2,GTX Pro,4821\n"
DEALS = [
    ("D1", "Northwind renewal", "Zoe Ward", "Northwind", "Closed Won", "1200.50", "2026-01-10"),
    ("D2", "Contoso pilot", "Yan Li", "Contoso", "Closed Won", "830.25", "2026-01-20"),
    ("D3", "Northwind upsell", "Zoe Ward", "Northwind", "Closed Lost", "400", "2026-01-25"),
]


def _folder(tmp_path: Path, deals: list[tuple[str, ...]] = DEALS) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    # Names that sort against the dependency order: the deals must still come last.
    (folder / "a_opportunities.csv").write_text(
        "Opportunity ID,Opportunity Name,Owner,Account,Stage,Amount,Close Date\n"
        + "".join(",".join(row) + "\n" for row in deals)
    )
    (folder / "b_accounts.csv").write_text(ACCOUNTS)
    (folder / "c_products.csv").write_text(PRODUCTS)
    (folder / "d_sales_team.csv").write_text(REPS)
    (folder / "notes.txt").write_text("not an export file")
    return folder


def test_a_folder_imports_every_file_in_dependency_order(world, tmp_path) -> None:
    code, out, err = _run(str(_folder(tmp_path)), "--org", "acme")
    assert code == 0, out + err
    lines = out.splitlines()
    order = [line.split(" ")[0] for line in lines if line.endswith("; ok")]
    assert order == ["d_sales_team.csv", "b_accounts.csv", "c_products.csv",
                     "a_opportunities.csv"]  # fmt: skip
    assert "a_opportunities.csv (deals): 3 rows, 3 to create" in out
    zoe = Member.objects.get(organization=world.acme, name="Zoe Ward")
    assert Customer.objects.get(organization=world.acme, name="Northwind").owner == zoe
    assert Product.objects.filter(organization=world.acme, sku__in=["GTX-1", "GTX-2"]).count() == 2
    won = Deal.objects.filter(organization=world.acme, external_id__in=["D1", "D2", "D3"],
                              outcome="won")  # fmt: skip
    expected = sum(Decimal(row[5]) for row in DEALS if row[4] == "Closed Won")
    assert sum(d.amount for d in won) == expected


def test_a_problem_in_one_file_writes_nothing_from_any_file(world, tmp_path) -> None:
    bad = [*DEALS, ("D4", "Ghost deal", "Nobody Known", "Northwind", "Closed Won", "9",
                    "2026-01-30")]  # fmt: skip
    code, out, err = _run(str(_folder(tmp_path, bad)), "--org", "acme")
    assert code == 1
    assert "a_opportunities.csv: row 5" in out
    assert "Nothing was written from any file." in err
    assert not Member.objects.filter(name__in=["Zoe Ward", "Yan Li"]).exists()
    assert not Customer.objects.filter(name__in=["Northwind", "Contoso"]).exists()
    assert not Product.objects.filter(sku__startswith="GTX").exists()
    assert not Deal.objects.filter(external_id__startswith="D").exists()


def test_a_dry_run_checks_the_whole_folder_and_writes_nothing(world, tmp_path) -> None:
    code, out, _err = _run(str(_folder(tmp_path)), "--org", "acme", "--dry-run")
    assert code == 0, out
    assert "a_opportunities.csv (deals): 3 rows, 3 to create" in out
    assert "Dry run" in out
    assert not Customer.objects.filter(name="Northwind").exists()
    assert not Member.objects.filter(name="Zoe Ward").exists()


def test_an_unrecognised_file_writes_nothing(world, tmp_path) -> None:
    folder = _folder(tmp_path)
    (folder / "misc.csv").write_text("Foo,Bar\n1,2\n")
    code, out, err = _run(str(folder), "--org", "acme")
    assert code == 1 and "misc.csv (?)" in out
    assert not Customer.objects.filter(name="Northwind").exists()


def test_map_and_alias_flags_apply_to_the_folder(world, tmp_path) -> None:
    folder = _folder(tmp_path)
    accounts = "Account,Looked after by,Country\nNorthwind,Zoe Ward,Holand\nContoso,Yan Li,FR\n"
    (folder / "b_accounts.csv").write_text(accounts)
    code, out, err = _run(str(folder), "--org", "acme", "--map", "Looked after by=owner_id",
                          "--alias", "country:Holand=NL")  # fmt: skip
    assert code == 0, out + err
    northwind = Customer.objects.get(organization=world.acme, name="Northwind")
    assert northwind.country == "NL" and northwind.owner.name == "Zoe Ward"


def test_kind_of_a_file_from_its_name_or_else_its_header(world) -> None:
    alice = world.alice
    assert kind_of(actor=alice, name="sales_teams.csv", header=["Name", "Email"]) == "reps"
    assert kind_of(actor=alice, name="accounts.xlsx", header=["Account", "Country"]) == "customers"
    header = ["Opportunity Name", "Owner", "Stage", "Amount"]
    assert kind_of(actor=alice, name="export_3.csv", header=header) == "deals"


def test_the_figures_are_fresh_when_the_folder_command_returns(world, tmp_path) -> None:
    import csv
    import io
    import json
    from collections import defaultdict

    from huey.contrib.djhuey import HUEY

    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "accounts.csv").write_text("Name,Owner\nFresh Alpha,Rita\nFresh Beta,Nina\n")
    deals = ("External id,Name,Owner,Customer,Stage,Amount,Closed on,Created on\n"
             "F-1,Deal 1,Rita,Fresh Alpha,won,1200.50,2024-03-04,2024-02-01\n"
             "F-2,Deal 2,Nina,Fresh Beta,won,830.25,2024-05-06,2024-04-01\n"
             "F-3,Deal 3,Rita,Fresh Beta,lost,999.00,2024-06-07,2024-05-01\n"
             "F-4,Deal 4,Rita,Fresh Alpha,won,42.10,2024-11-30,2024-11-01\n")  # fmt: skip
    (folder / "deals.csv").write_text(deals)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(deals)):
        if row["Stage"] == "won":
            expected[row["Owner"]] += Decimal(row["Amount"])
    previous, HUEY.immediate = HUEY.immediate, False  # no worker runs
    try:
        code, out, err = _run(str(folder), "--org", "acme")
    finally:
        HUEY.immediate = previous
    assert code == 0, out + err
    shown = StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "revenue", "--from",
                 "2024-01-01", "--to", "2024-12-31", "--by", "rep", "--format", "json",
                 stdout=shown)  # fmt: skip
    revenue = {row["rep"]: Decimal(str(row["value"])) for row in json.loads(shown.getvalue())
               if row["value"]}  # fmt: skip
    assert revenue == expected


def test_a_sample_crm_export_folder_imports_and_revenue_per_rep_is_the_files(
    world, tmp_path
) -> None:
    """The layout of the public sample CRM export (Maven Analytics' "CRM Sales
    Opportunities": sales_teams, accounts, products, sales_pipeline), imported
    with flags only: per-rep won amounts equal the file's close_value."""
    import csv
    import io

    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "sales_teams.csv").write_text(
        "sales_agent,manager,regional_office\n"
        "Anna Snelling,Dustin Brinkmann,Central\nCecily Lampkin,Melvin Marxen,Central\n"
    )
    (folder / "accounts.csv").write_text(
        "account,sector,year_established,revenue,employees,office_location,subsidiary_of\n"
        "Acme Corporation,technolgy,1996,1100.04,2822,United States,\n"
        "Betasoloin,medical,1999,251.41,495,Holand,\n"
    )
    (folder / "products.csv").write_text("product,series,sales_price\nGTX Basic,GTX,550\n"
                                         "MG Special,MG,55\n")  # fmt: skip
    pipeline = ("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,"
                "close_value\n"
                "1C1I7A6R,Anna Snelling,GTX Basic,Acme Corporation,Won,2016-10-20,2017-03-01,1054\n"
                "Z063OYW0,Cecily Lampkin,MG Special,Betasoloin,Won,2016-10-25,2017-03-11,4514\n"
                "EC4QE1BX,Anna Snelling,MG Special,Betasoloin,Lost,2016-10-25,2017-03-07,0\n"
                "MV1LWRNH,Cecily Lampkin,GTX Basic,Acme Corporation,Engaging,2016-10-25,,"
                "800\n")  # fmt: skip
    (folder / "sales_pipeline.csv").write_text(pipeline)
    # The pipeline has no deal name: its id names the deal.
    code, out, err = _run(str(folder), "--org", "acme", "--alias", "country:Holand=NL",
                          "--alias", "stage:Engaging=qualification",
                          "--map", "opportunity_id=name")  # fmt: skip
    assert code == 0, out + err
    expected: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(pipeline)):
        if row["deal_stage"] == "Won":
            expected[row["sales_agent"]] = expected.get(row["sales_agent"], Decimal(0)) + Decimal(
                row["close_value"]
            )
    ids = [row["opportunity_id"] for row in csv.DictReader(io.StringIO(pipeline))]
    won = Deal.objects.filter(organization=world.acme, outcome="won", name__in=ids)
    got: dict[str, Decimal] = {}
    for deal in won.select_related("owner"):
        got[deal.owner.name] = got.get(deal.owner.name, Decimal(0)) + deal.amount
    assert got == expected
    assert Customer.objects.get(organization=world.acme, name="Betasoloin").country == "NL"


def test_an_alias_may_name_a_product_the_folder_creates(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The deals spell a product otherwise than the folder's products file: the
    alias is saved once that file has made the product, and a flag whose target
    never appears is refused with nothing written."""
    folder = _folder(tmp_path)
    (folder / "a_opportunities.csv").write_text(
        "Opportunity ID,Opportunity Name,Owner,Account,Stage,Amount,Close Date,Product\n"
        "D1,Northwind renewal,Zoe Ward,Northwind,Closed Won,1200.50,2026-01-10,GTXPro\n"
    )
    code, out, err = _run(str(folder), "--org", "acme", "--alias", "product:GTXPro=GTX Pro")
    assert code == 0, out + err
    deal = Deal.objects.get(organization=world.acme, external_id="D1")
    assert [line.product.name for line in deal.lines.all()] == ["GTX Pro"]
    assert deal.amount == Decimal("1200.50")


def test_an_alias_whose_target_never_appears_writes_nothing(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path)
    with pytest.raises(CommandError, match="--alias product:GTXPro=GTX Ultra"):
        _run(str(folder), "--org", "acme", "--alias", "product:GTXPro=GTX Ultra")
    assert not Deal.objects.filter(organization=world.acme, external_id="D1").exists()
    assert not Product.objects.filter(organization=world.acme, name="GTX Pro").exists()
