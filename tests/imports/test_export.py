"""Exports: what a person sees, in files that import again as they are, with
formulas that cannot run."""

from __future__ import annotations

import csv
import io
from io import StringIO

import openpyxl
from django.core.management import call_command

from rumbo.imports.services import import_file
from rumbo.sales.models import Customer, Deal
from tests.imports.conftest import lines


def _export(*args: str) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_then_import_changes_nothing(world, tmp_path) -> None:
    world.records["rita"].deal.techniques.add(world.catalogue["acme"]["technique"])
    for kind in ("customers", "contacts", "products", "techniques", "rates", "deals",
                 "activities", "surveys", "complaints", "reps"):  # fmt: skip
        path = tmp_path / f"{kind}.csv"
        call_command("export", kind, "--org", "acme", "--output", str(path))
        result = import_file(actor=world.alice, kind=kind, path=path, file_name=path.name)
        assert result.ok, (kind, lines(result))
        assert (result.created, result.updated) == (0, 0), kind
        assert result.unmapped in ([], ["Amount in base currency"]), (kind, result.unmapped)


def test_xlsx_export_round_trip(world, tmp_path) -> None:
    path = tmp_path / "deals.xlsx"
    call_command("export", "deals", "--org", "acme", "--output", str(path))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("External id", "Name", "Owner")
    assert len(rows) == 1 + Deal.objects.filter(organization=world.acme).count()
    result = import_file(actor=world.alice, kind="deals", path=path, file_name=path.name)
    assert (result.ok, result.created, result.updated) == (True, 0, 0), lines(result)


def test_formulas_cannot_run_and_come_back_as_they_were(world, tmp_path) -> None:
    Customer.objects.filter(pk=world.records["rita"].customer.pk).update(name="=HYPERLINK(1)")
    text = _export("customers", "--org", "acme")
    names = [row[1] for row in _csv(text)]
    assert "'=HYPERLINK(1)" in names
    path = tmp_path / "c.xlsx"
    call_command("export", "customers", "--org", "acme", "--output", str(path))
    cells = [c for row in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in row]
    formula = next(c for c in cells if c.value == "=HYPERLINK(1)")
    assert formula.data_type == "s"  # text, not a formula
    back = tmp_path / "c.csv"
    back.write_text(text)
    result = import_file(actor=world.alice, kind="customers", path=back, file_name="c.csv")
    assert (result.created, result.updated) == (0, 0), lines(result)


def test_a_rep_exports_only_what_a_rep_sees(world) -> None:
    response = world.client("rita").get("/export/deals/?format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    names = {row[1] for row in _csv(body)[1:]}
    assert names == {"Rita deal"}
    manager = world.client("mark").get("/export/customers/?format=csv")
    names = {row[1] for row in _csv(b"".join(manager.streaming_content).decode())[1:]}
    assert names == {"Rita customer", "Nina customer", "Mark customer"}
    other = world.client("olga").get("/export/deals/?format=csv")
    assert "Rita deal" not in b"".join(other.streaming_content).decode()


def test_the_list_page_links_to_an_export_that_keeps_its_filters(world) -> None:
    client = world.client("alice")
    page = client.get("/deals/?outcome=won&q=Rita").content.decode()
    assert "/export/deals/?outcome=won&amp;q=Rita&amp;format=csv" in page
    response = client.get("/export/deals/?outcome=won&q=Rita&format=xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="deals-')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Rita deal"]
