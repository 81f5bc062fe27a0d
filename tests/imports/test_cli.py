"""`rumbo import KIND FILE --org SLUG`: exit status, one problem per line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rumbo.sales.models import Product


def run_import(*args: str) -> tuple[int, str, str]:
    """`rumbo import ARGS`: its exit code, output and errors."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_command_succeeds_and_reimport_changes_nothing(world, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text('SKU,Name,Precio\nP-1,Widget,"1.234,50"\nP-2,Gadget,5\n')
    code, out, _err = run_import("products", str(path), "--org", "acme", "--quiet")
    assert code == 0
    assert "Imported 2 rows: 2 created, 0 updated, 0 unchanged." in out
    assert Product.objects.get(organization=world.acme, sku="P-1").list_price == 1234.5
    code, out, _err = run_import("products", str(path), "--org", "acme", "--quiet")
    assert "0 created, 0 updated, 2 unchanged" in out


def test_import_command_prints_problems_and_fails(world, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("SKU,Name,Price\nP-1,Widget,cheap\nP-2,,5\n")
    code, out, err = run_import("products", str(path), "--org", "acme")
    assert code == 1
    assert out.splitlines() == [
        "row 2, column Price: cheap is not a number.",
        "row 3, column Name: A value is required.",
    ]
    assert "Nothing was written" in err
    assert not Product.objects.filter(sku="P-1").exists()


def test_dry_run_writes_nothing(world, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("SKU,Name,Price\nP-1,Widget,3\n")
    code, out, _err = run_import("products", str(path), "--org", "acme", "--dry-run")
    assert code == 0 and "Dry run" in out
    assert not Product.objects.filter(sku="P-1").exists()


def test_unknown_org_is_an_error(world, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("SKU\n")
    with pytest.raises(Exception, match="No organisation"):
        call_command("import", "products", str(path), "--org", "nope")


# --fields, --map, --alias, --dry-run's mapping (issue 15)


def test_fields_lists_each_key_with_its_label_and_the_headers_it_recognises(world) -> None:
    code, out, _err = run_import("products", "--fields")
    assert code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert {"sku", "name", "list_price", "category", "active"} <= set(rows)
    assert "precio" in rows["list_price"][2].split(", ")
    assert "sku" in rows["sku"][2].split(", ")


def test_map_imports_an_unknown_header_and_is_saved_for_the_org(world, tmp_path) -> None:
    from rumbo.imports.models import ColumnMapping

    path = tmp_path / "products.csv"
    path.write_text("SKU,Wotsit,Price\nP-9,Widget,3\n")
    code, _out, _err = run_import("products", str(path), "--org", "acme", "--quiet")
    assert code == 1 and not Product.objects.filter(sku="P-9").exists()
    code, out, _err = run_import("products", str(path), "--org", "acme", "--quiet",
                           "--map", "Wotsit=name")  # fmt: skip
    assert code == 0, out
    assert Product.objects.get(organization=world.acme, sku="P-9").name == "Widget"
    saved = ColumnMapping.objects.get(organization=world.acme, kind="products")
    assert saved.mapping["Wotsit"] == "name"
    # The next file with that header needs no flag.
    path.write_text("SKU,Wotsit,Price\nP-10,Gadget,4\n")
    code, _out, _err = run_import("products", str(path), "--org", "acme", "--quiet")
    assert code == 0 and Product.objects.filter(organization=world.acme, sku="P-10").exists()


def test_alias_lets_an_unknown_stage_and_country_import(world, tmp_path) -> None:
    from rumbo.sales.models import Customer, Deal

    deals = tmp_path / "deals.csv"
    deals.write_text("Name,Owner,Stage,Amount\nBig one,Rita,Tea with buyer,100\n")
    code, out, _err = run_import("deals", str(deals), "--org", "acme", "--quiet")
    assert code == 1 and "Tea with buyer" in out
    code, out, _err = run_import("deals", str(deals), "--org", "acme", "--quiet",
                           "--alias", "stage:Tea with buyer=qualification")  # fmt: skip
    assert code == 0, out
    assert Deal.objects.get(organization=world.acme, name="Big one").stage == "qualification"
    customers = tmp_path / "customers.csv"
    customers.write_text("Name,Country\nHans BV,Holand\n")
    code, _out, _err = run_import("customers", str(customers), "--org", "acme", "--quiet")
    assert code == 1
    code, out, _err = run_import("customers", str(customers), "--org", "acme", "--quiet",
                           "--alias", "country:Holand=NL")  # fmt: skip
    assert code == 0, out
    assert Customer.objects.get(organization=world.acme, name="Hans BV").country == "NL"


def test_alias_names_a_record(world, tmp_path) -> None:
    from rumbo.sales.models import Deal

    deals = tmp_path / "deals.csv"
    deals.write_text("Name,Seller,Amount\nSmall one,R. Smith,50\n")
    code, out, _err = run_import("deals", str(deals), "--org", "acme", "--quiet",
                           "--alias", "rep:R. Smith=Rita")  # fmt: skip
    assert code == 0, out
    assert Deal.objects.get(organization=world.acme, name="Small one").owner == world.rita


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--map", "item_ref=nope"], "--map item_ref=nope"),
        (["--map", "Colour=sku"], "--map Colour=sku"),
        (["--alias", "planet:Mars=NL"], "--alias planet:Mars=NL"),
        (["--alias", "stage:Discovery=somewhere"], "--alias stage:Discovery=somewhere"),
        (["--alias", "product:Widget Pro=No such product"], "--alias product:Widget Pro="),
        (["--alias", "stage-Discovery"], "--alias stage-Discovery"),
    ],
)
def test_a_bad_flag_is_an_error_naming_it_and_writes_nothing(world, tmp_path, flags, named) -> None:
    from django.core.management.base import CommandError

    from rumbo.imports.models import Alias, ColumnMapping

    path = tmp_path / "products.csv"
    path.write_text("item_ref,Name,Price\nP-9,Widget,3\n")
    good = ["--alias", "country:Holand=NL"]
    with pytest.raises(CommandError, match=named.replace(".", r"\.")):
        call_command("import", "products", str(path), "--org", "acme", *good, *flags)
    assert not Alias.objects.filter(organization=world.acme).exists()
    assert not ColumnMapping.objects.filter(organization=world.acme).exists()
    assert not Product.objects.filter(sku="P-9").exists()


def test_dry_run_prints_the_mapping_column_by_column_and_writes_nothing(world, tmp_path) -> None:
    from rumbo.imports.models import Alias, ColumnMapping

    path = tmp_path / "products.csv"
    path.write_text("item_ref,Name,Price,Colour\nP-9,Widget,3,red\n")
    code, out, _err = run_import("products", str(path), "--org", "acme", "--quiet", "--dry-run",
                           "--map", "item_ref=sku", "--alias", "country:Holand=NL")  # fmt: skip
    assert code == 0, out
    lines = out.splitlines()
    assert any(line.strip().startswith("item_ref -> sku") for line in lines)
    assert any(line.strip().startswith("Price -> list_price") for line in lines)
    assert "  Colour -> left out" in lines
    assert "Dry run" in out
    assert not Product.objects.filter(sku="P-9").exists()
    assert not Alias.objects.exists() and not ColumnMapping.objects.exists()
