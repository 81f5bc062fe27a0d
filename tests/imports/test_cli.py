"""`rumbo import KIND FILE --org SLUG`: exit status, one problem per line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rumbo.sales.models import Product


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_command_succeeds_and_reimport_changes_nothing(world, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text('SKU,Name,Precio\nP-1,Widget,"1.234,50"\nP-2,Gadget,5\n')
    code, out, _err = _run("products", str(path), "--org", "acme", "--quiet")
    assert code == 0
    assert "Imported 2 rows: 2 created, 0 updated, 0 unchanged." in out
    assert Product.objects.get(organization=world.acme, sku="P-1").list_price == 1234.5
    code, out, _err = _run("products", str(path), "--org", "acme", "--quiet")
    assert "0 created, 0 updated, 2 unchanged" in out


def test_import_command_prints_problems_and_fails(world, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("SKU,Name,Price\nP-1,Widget,cheap\nP-2,,5\n")
    code, out, err = _run("products", str(path), "--org", "acme")
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
    code, out, _err = _run("products", str(path), "--org", "acme", "--dry-run")
    assert code == 0 and "Dry run" in out
    assert not Product.objects.filter(sku="P-1").exists()


def test_unknown_org_is_an_error(world, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("SKU\n")
    with pytest.raises(Exception, match="No organisation"):
        call_command("import", "products", str(path), "--org", "nope")
