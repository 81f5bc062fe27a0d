"""A workbook with several sheets: the first is read unless another is chosen
(the page's select, `--sheet` on the command line, `sheet` in the API); a
sheet the workbook lacks is refused, naming the sheets it has."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from rumbo.imports.models import ImportJob
from rumbo.sales.models import Product
from tests.tenancy.api_client import bearer

NOT_THERE = "The workbook has no sheet called “Nope”; its sheets are: “Notes”, “Products”."


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Exported", "2026-03-01"])
    products = book.create_sheet("Products")
    products.append(["SKU", "Name", "Price"])
    products.append(["S-1", "Sheet widget", 7.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _path(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(_workbook())
    return path


def test_the_chosen_sheet_is_read_and_the_first_by_default(importer, tmp_path) -> None:
    _path(tmp_path)
    first = importer.run("products", "book.xlsx", dry_run=True)
    assert "No column holds the name" in first.problems[0].reason
    chosen = importer.run("products", "book.xlsx", sheet=" products ")
    assert (chosen.ok, chosen.created) == (True, 1)
    assert Product.objects.get(sku="S-1").name == "Sheet widget"


def test_a_missing_sheet_is_named_with_the_sheets_there_are(importer, tmp_path) -> None:
    _path(tmp_path)
    result = importer.run("products", "book.xlsx", sheet="Nope")
    assert [p.reason for p in result.problems] == [NOT_THERE]


def test_command_line_sheet_option(world, tmp_path) -> None:
    path = _path(tmp_path)
    out = StringIO()
    call_command("import", "products", str(path), "--org", "acme", "--quiet",
                 "--sheet", "Products", stdout=out)  # fmt: skip
    assert "Imported 1 rows: 1 created" in out.getvalue()
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "products", str(path), "--org", "acme", "--quiet",
                     "--sheet", "Nope", stdout=out)  # fmt: skip
    assert exit_.value.code == 1
    assert NOT_THERE in out.getvalue()


@pytest.mark.usefixtures("immediate_jobs")
def test_api_sheet_field(world, django_capture_on_commit_callbacks) -> None:
    client = bearer(world.alice)
    upload = SimpleUploadedFile("book.xlsx", _workbook())
    with django_capture_on_commit_callbacks(execute=True):  # the job reads the workbook
        response = client.post("/api/v1/imports", {"kind": "products", "file": upload,
                                                   "sheet": "Nope"})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["status"] == "reading"  # the request did not open it
    problems = client.get(f"/api/v1/imports/{response.json()['id']}/problems").json()
    assert problems["problems"][0]["reason"] == NOT_THERE
    assert client.get(f"/api/v1/imports/{response.json()['id']}").json()["status"] == "rejected"
    upload = SimpleUploadedFile("book.xlsx", _workbook())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {"kind": "products", "file": upload,
                                                   "sheet": "Products"})  # fmt: skip
    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert (body["status"], body["created"], body["sheet"]) == ("validated", 1, "Products")
    assert body["sheets"] == ["Notes", "Products"]


@pytest.mark.usefixtures("immediate_jobs")
def test_page_offers_the_sheets_after_upload(world, django_capture_on_commit_callbacks) -> None:
    client = world.client("alice")
    upload = SimpleUploadedFile("book.xlsx", _workbook())
    with django_capture_on_commit_callbacks(execute=True):  # the job reads the workbook
        response = client.post("/imports/new/", {"kind": "products", "preset": "generic",
                                                 "file": upload})  # fmt: skip
    job = ImportJob.objects.get()
    assert (job.sheet, job.header) == ("Notes", ["Exported", "2026-03-01"])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="sheet-form"' in page and '<option value="Products">' in page
    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/imports/{job.pk}/", {"action": "sheet", "sheet": "Products"})
    job.refresh_from_db()
    assert job.status == "reading"  # queued: the request does not open the workbook
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="progress"' in page and "Reading" in page
    for run in queued:  # the worker reads the sheet
        run()
    job.refresh_from_db()
    assert (job.sheet, job.header, job.status) == ("Products", ["SKU", "Name", "Price"], "uploaded")
    assert job.mapping == {"SKU": "sku", "Name": "name", "Price": "list_price"}
    form = {"action": "check", **{f"col_{i}": job.mapping[h] for i, h in enumerate(job.header)}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    job.refresh_from_db()
    assert (job.status, job.created) == ("validated", 1)
    response = client.post(f"/imports/{job.pk}/", {"action": "sheet", "sheet": "Nope"})
    assert ImportJob.objects.get(pk=job.pk).sheet == "Products"


def test_a_csv_has_no_sheet_choice(world) -> None:
    client = world.client("alice")
    upload = SimpleUploadedFile("p.csv", b"SKU,Name\nA,B\n")
    response = client.post("/imports/new/", {"kind": "products", "preset": "generic",
                                             "file": upload})  # fmt: skip
    assert 'data-testid="sheet-form"' not in client.get(response["Location"]).content.decode()
    assert ImportJob.objects.get().sheets == []
