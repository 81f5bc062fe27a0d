"""/api/v1/imports: upload, status, problems, apply — admins of the organisation only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rumbo.sales.models import Product
from tests.tenancy.api_client import bearer

GOOD = "SKU,Name,Price\nA-1,Anvil,12.5\n"
BAD = "SKU,Name,Price\nA-1,Anvil,cheap\n"


def _post(client, text: str):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("products.csv", text.encode(), content_type="text/csv")
    return client.post("/api/v1/imports", {"kind": "products", "file": upload})


@pytest.mark.usefixtures("immediate_jobs")
def test_upload_check_and_apply(world, django_capture_on_commit_callbacks) -> None:
    client = bearer(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, GOOD)
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/imports/{job_id}").json()
    assert (status["status"], status["created"]) == ("validated", 1)
    assert not Product.objects.filter(sku="A-1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(f"/api/v1/imports/{job_id}/apply")
    assert applied.status_code == 202
    assert client.get(f"/api/v1/imports/{job_id}").json()["status"] == "done"
    assert Product.objects.get(organization=world.acme, sku="A-1").name == "Anvil"


@pytest.mark.usefixtures("immediate_jobs")
def test_problems_are_listed_and_apply_is_refused(
    world, django_capture_on_commit_callbacks
) -> None:
    client = bearer(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = _post(client, BAD).json()["id"]
    problems = client.get(f"/api/v1/imports/{job_id}/problems").json()
    assert problems == {"count": 1, "problems": [
        {"row": 2, "column": "Price", "value": "cheap", "reason": "cheap is not a number.",
         "suggestions": []}]}  # fmt: skip
    assert client.post(f"/api/v1/imports/{job_id}/apply").status_code == 422
    assert not Product.objects.filter(sku="A-1").exists()


def test_non_admins_and_other_organisations(world) -> None:
    assert _post(bearer(world.rita), GOOD).status_code == 403
    assert bearer(world.mark).get("/api/v1/imports").status_code == 403
    job_id = _post(bearer(world.alice), GOOD).json()["id"]
    assert bearer(world.oscar).get(f"/api/v1/imports/{job_id}").status_code == 404
    assert bearer(world.oscar).post(f"/api/v1/imports/{job_id}/apply").status_code == 404
