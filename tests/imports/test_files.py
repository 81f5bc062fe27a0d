"""XLSX files, and hostile files refused with a clear message, nothing written."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import openpyxl

from rumbo.sales.models import Customer, Deal, Product
from tests.imports.conftest import lines


def _xlsx(path, rows) -> None:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_with_real_dates_and_numbers(importer, world, tmp_path) -> None:
    _xlsx(tmp_path / "deals.xlsx", [
        ["Deal ID", "Deal name", "Owner", "Customer", "Stage", "Amount", "Close date", "Created"],
        ["X1", "From Excel", "Rita", "Rita customer", "Won", 1500.5, dt.date(2026, 3, 4), 46082],
        [None, None, None, None, None, None, None, None],
    ])  # fmt: skip
    result = importer.run("deals", "deals.xlsx")
    assert result.ok, lines(result)
    deal = Deal.objects.get(external_id="X1")
    assert (deal.amount, deal.closed_on, deal.created_on) == (
        Decimal("1500.50"), dt.date(2026, 3, 4), dt.date(2026, 3, 1))  # fmt: skip


def test_size_limit(importer, world, settings) -> None:
    settings.IMPORT_MAX_BYTES = 10
    result = importer.run("products", "p.csv", "sku,name,price\nA,B,1\n")
    assert lines(result) == ["row 0, column (file): The file is 0.0 MB; the limit is 0 MB."]


def test_zip_bomb_workbook_is_refused(importer, world, tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    _xlsx(path, [["sku", "name", "price"], ["A", "B", 1]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 50_000_000)
    result = importer.run("products", "bomb.xlsx")
    assert "beyond what a real export does" in lines(result)[0]
    assert not Product.objects.filter(sku="A").exists()


def test_macros_are_refused(importer, world, tmp_path) -> None:
    path = tmp_path / "macro.xlsx"
    _xlsx(path, [["sku", "name", "price"], ["A", "B", 1]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert "contains macros" in lines(importer.run("products", "macro.xlsx"))[0]
    (tmp_path / "macro.xlsm").write_bytes(path.read_bytes())
    assert "with macros (.xlsm)" in lines(importer.run("products", "macro.xlsm"))[0]


def test_a_file_that_is_not_what_its_name_says(importer, world, tmp_path) -> None:
    _xlsx(tmp_path / "real.xlsx", [["sku"], ["A"]])
    (tmp_path / "fake.csv").write_bytes((tmp_path / "real.xlsx").read_bytes())
    assert "is not a text (CSV) file" in lines(importer.run("products", "fake.csv"))[0]
    found = lines(importer.run("products", "fake.xlsx", "sku,name\nA,B\n"))
    assert "is not an Excel workbook" in found[0]
    assert "Upload a .csv or .xlsx" in lines(importer.run("products", "x.pdf", "%PDF-1.4"))[0]


def test_unclosed_quote_and_ragged_rows(importer, world) -> None:
    text = 'name,owner\nGood,Rita\n"Broken,Rita\nOther,Rita\n'
    result = importer.run("customers", "quote.csv", text)
    assert result.problems[-1].row == 3
    assert "never closed" in result.problems[-1].reason
    assert not Customer.objects.filter(name="Good").exists()
    ragged = importer.run("customers", "ragged.csv", "name,owner\nGood,Rita\nBad\n")
    assert lines(ragged) == [
        "row 3, column (file): This row has 1 cells; the header has 2 "
        "(a stray separator or quote?)."
    ]
    assert not Customer.objects.filter(name="Good").exists()
