"""A workbook is opened by the job, never by the request, and one whose shared
strings would fill the worker's memory is refused with a clear message
(issue 14: a 5 MB XLSX whose strings expanded to 407 MB, 82 times its size and
so under the 200x guard, was parsed in the web request: 185 → 597 MB)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from rumbo.imports.models import ImportJob
from rumbo.sales.models import Product
from tests.imports.conftest import lines
from tests.tenancy.api_client import bearer

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{REL}/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{REL}/worksheet"/>'
        f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{REL}/sharedStrings"/>'
        "</Relationships>"
    ),
    # sku, name, price / A, B, 1 — the texts by their index in the shared strings.
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2"><v>1</v></c></row></sheetData></worksheet>'
    ),
}


def _bomb(path: Path, strings: int, length: int) -> Path:
    """A workbook (header, one row) whose shared strings hold `strings` more
    texts of `length` random letters: they barely compress, so the file stays
    far under the expansion-ratio guard, as the issue's did."""
    rng = random.Random(14)
    texts = ["sku", "name", "price", "A", "B"]
    texts += ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=length)) for _ in range(strings)]
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(texts)}" '
              f'uniqueCount="{len(texts)}">' + "".join(f"<si><t>{t}</t></si>" for t in texts)
              + "</sst>")  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in {**PARTS, "xl/sharedStrings.xml": shared}.items():
            out.writestr(name, text)
    return path


def test_too_many_characters_of_shared_strings_are_refused(importer, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_SHARED_CHARS = 1_000_000
    path = _bomb(tmp_path / "bomb.xlsx", strings=40, length=30_000)  # 1.2 million characters
    with zipfile.ZipFile(path) as archive:
        expanded = sum(i.file_size for i in archive.infolist())
    assert expanded < path.stat().st_size * 200  # the ratio guard alone lets it through
    result = importer.run("products", "bomb.xlsx")
    assert lines(result) == ["row 0, column (file): The workbook holds more than 2,000,000 "
                             "distinct texts or 1 million characters of text, beyond what a "
                             "real export does; refused."]  # fmt: skip
    assert not Product.objects.filter(sku="A").exists()
    # Under the limits the same kind of workbook imports.
    settings.IMPORT_MAX_SHARED_CHARS = 2_000_000
    assert importer.run("products", "bomb.xlsx").ok


def test_too_many_shared_strings_are_refused(importer, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_SHARED_STRINGS = 1000
    _bomb(tmp_path / "many.xlsx", strings=1500, length=8)
    assert "more than 1,000 distinct texts" in lines(importer.run("products", "many.xlsx"))[0]


def test_the_upload_request_does_not_open_the_workbook(world, settings, tmp_path,
                                                       django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    settings.IMPORT_MAX_SHARED_CHARS = 1_000_000
    data = _bomb(tmp_path / "bomb.xlsx", strings=40, length=30_000).read_bytes()
    client = bearer(world.alice)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/api/v1/imports", {
            "kind": "products", "file": SimpleUploadedFile("bomb.xlsx", data)})  # fmt: skip
    assert response.status_code == 201
    # Stored and queued, not read: no header, no sheets, no verdict yet.
    body = response.json()
    assert (body["status"], body["sheets"], body["problem_count"]) == ("reading", [], 0)
    job = ImportJob.objects.get(pk=body["id"])
    assert job.header == [] and Path(job.file_path).stat().st_size == len(data)
    page = world.client("alice").get(f"/imports/{job.pk}/").content.decode()
    assert 'data-testid="progress"' in page and "mapping-form" not in page
    for run in queued:  # the worker
        run()
    body = client.get(f"/api/v1/imports/{job.pk}").json()
    assert body["status"] == "rejected"
    reason = client.get(f"/api/v1/imports/{job.pk}/problems").json()["problems"][0]["reason"]
    assert "1 million characters of text" in reason


def test_import_problems_never_name_a_server_path(world, settings,
                                                  django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """A file gone between the check being asked for and the worker reading it
    (the nightly purge): the job says so, without the storage path (issue 14:
    an import problem showed a server file path)."""
    from rumbo.imports.reading import without_paths

    client = bearer(world.alice)
    upload = SimpleUploadedFile("products.csv", b"SKU,Name,Price\nA-1,Anvil,1\n")
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post("/api/v1/imports", {"kind": "products", "file": upload,
                                                 "check": "false"}).json()["id"]  # fmt: skip
    job = ImportJob.objects.get(pk=job_id)
    assert job.status == "uploaded"
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(f"/api/v1/imports/{job_id}/check", {},
                           content_type="application/json").status_code == 202  # fmt: skip
    Path(job.file_path).unlink()
    for run in queued:
        run()
    body = client.get(f"/api/v1/imports/{job_id}").json()
    problems = client.get(f"/api/v1/imports/{job_id}/problems").json()["problems"]
    shown = " ".join([body["message"], *(p["reason"] for p in problems)])
    assert body["status"] == "rejected"
    assert "can no longer be read; upload it again" in shown
    assert str(settings.IMPORT_ROOT) not in shown and "/" not in shown
    page = world.client("alice").get(f"/imports/{job_id}/").content.decode()
    assert str(settings.IMPORT_ROOT) not in page
    # Error texts from libraries keep the file's name, never its folder.
    error = FileNotFoundError(2, "No such file or directory", f"{settings.IMPORT_ROOT}/1/ab/p.csv")
    assert without_paths(error) == "[Errno 2] No such file or directory: '…/p.csv'"
