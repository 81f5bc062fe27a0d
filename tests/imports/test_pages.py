"""The import page: upload → mapping → check (counts, problems) → aliases →
import, as a background job; admins only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from rumbo.imports.models import Alias, ImportJob
from rumbo.sales.models import Deal

DEALS = (
    "Deal,Owner,Client,Amount,Stage,Close date\n"
    "Web one,Rita,Rita custmer,10,won,2026-03-02\n"
    "Web two,Rita,Rita customer,20,open,\n"
)


def _upload(client, text: str, kind: str = "deals", name: str = "deals.csv"):  # type: ignore[no-untyped-def]
    """Upload, and let the job that reads the file run (as the worker would)."""
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/imports/new/", {"kind": kind, "preset": "generic", "file": upload})


@pytest.mark.usefixtures("immediate_jobs")
def test_upload_check_alias_and_import(world, django_capture_on_commit_callbacks) -> None:
    client = world.client("alice")
    response = _upload(client, DEALS)
    assert response.status_code == 302
    job = ImportJob.objects.get(organization=world.acme)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="mapping-form"' in page
    assert job.mapping == {"Deal": "name", "Owner": "owner_id", "Client": "customer_id",
                           "Amount": "amount", "Stage": "stage_word",
                           "Close date": "closed_on"}  # fmt: skip
    form = {"action": "check", **{f"col_{i}": job.mapping[h] for i, h in enumerate(job.header)}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    job.refresh_from_db()
    assert (job.status, job.problem_count) == ("rejected", 1)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "No customer is called Rita custmer" in page and 'data-testid="alias-form"' in page
    problems = client.get(f"/imports/{job.pk}/problems.csv")
    assert b"Rita custmer" in b"".join(problems.streaming_content)
    alias = {"job": job.pk, "column": "Client", "spelling": "Rita custmer",
             "target": "Rita customer"}  # fmt: skip
    client.post("/imports/aliases/from-problem/", alias)
    assert Alias.objects.get(organization=world.acme).record_id == world.records["rita"].customer.pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    job.refresh_from_db()
    assert (job.status, job.created, job.problem_count) == ("validated", 2, 0)
    assert not Deal.objects.filter(name="Web one").exists()  # a check writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", {"action": "import"})
    job.refresh_from_db()
    assert job.status == "done"
    assert Deal.objects.get(name="Web one").customer == world.records["rita"].customer
    progress = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_a_hostile_upload_is_rejected_once_read(world) -> None:
    client = world.client("alice")
    response = _upload(client, "PK\x03\x04not really", name="deals.csv")
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == "rejected"
    assert "not a text (CSV) file" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("name", ["mark", "rita"])
def test_only_admins_import(world, name) -> None:
    client = world.client(name)
    assert client.get("/imports/").status_code == 403
    assert _upload(client, DEALS).status_code == 403


def test_another_organisations_job_is_not_found(world) -> None:
    response = _upload(world.client("alice"), DEALS)
    url = response["Location"]
    assert world.client("oscar").get(url).status_code == 404
    assert world.client("oscar").get(url + "problems.csv").status_code == 404


@pytest.mark.usefixtures("immediate_jobs")
def test_an_unknown_stage_word_gets_an_alias_from_the_page(
    world, django_capture_on_commit_callbacks
) -> None:
    client = world.client("alice")
    response = _upload(client, "Deal,Owner,Amount,Stage\nOdd one,Rita,5,Verbal yes\n")
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    form = {"action": "check", **{f"col_{i}": job.mapping[h] for i, h in enumerate(job.header)}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<option value="negotiation">Negotiation</option>' in page
    alias = {"job": job.pk, "column": "Stage", "spelling": "Verbal yes", "target": "negotiation"}
    client.post("/imports/aliases/from-problem/", alias)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", {"action": "import"})
    assert Deal.objects.get(name="Odd one").stage == "negotiation"


@pytest.mark.usefixtures("immediate_jobs")
def test_the_problems_csv_cannot_run_formulas(world, django_capture_on_commit_callbacks) -> None:
    client = world.client("alice")
    response = _upload(client, "Deal,Owner,Amount,Client\nX,Rita,5,=cmd()\n")
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    form = {"action": "check", **{f"col_{i}": job.mapping[h] for i, h in enumerate(job.header)}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", form)
    body = b"".join(client.get(f"/imports/{job.pk}/problems.csv").streaming_content).decode()
    assert "'=cmd()" in body and ",=cmd()" not in body


def test_old_uploads_are_deleted_and_the_job_stays(world) -> None:
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    from rumbo.imports.jobs import job_files_purge

    response = _upload(world.client("alice"), DEALS)
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    path = Path(job.file_path)
    assert path.is_file()
    assert job_files_purge() == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert job_files_purge() == 1
    assert not path.exists()
    assert world.client("alice").get(f"/imports/{job.pk}/").status_code == 200
