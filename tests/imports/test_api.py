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


@pytest.mark.usefixtures("immediate_jobs")
def test_create_takes_a_map_and_aliases(world, django_capture_on_commit_callbacks) -> None:
    from rumbo.imports.models import Alias, ColumnMapping

    client = bearer(world.alice)
    upload = SimpleUploadedFile("products.csv", b"SKU,Wotsit,Price\nA-7,Anvil,3\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {
            "kind": "products", "file": upload, "map": '{"Wotsit": "name"}',
            "aliases": '["country:Holand=NL", "stage:Tea with buyer=qualification"]'})  # fmt: skip
    assert response.status_code == 201, response.content
    job = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["mapping"]["Wotsit"] == "name"
    assert job["status"] == "validated", client.get(f"/api/v1/imports/{job['id']}/problems").json()
    saved = ColumnMapping.objects.get(organization=world.acme, kind="products")
    assert saved.mapping["Wotsit"] == "name"
    aliases = Alias.objects.filter(organization=world.acme)
    assert sorted(aliases.values_list("kind", "value")) == [
        ("country", "NL"), ("stage", "qualification:open")]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/imports/{job['id']}/apply")
    assert Product.objects.get(organization=world.acme, sku="A-7").name == "Anvil"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"map": '{"Wotsit": "nope"}'}, "map"),
        ({"map": "[1]"}, "map"),
        ({"aliases": '["planet:Mars=NL"]'}, "aliases"),
        ({"aliases": '["stage:Tea=somewhere"]'}, "aliases"),
    ],
)
def test_a_bad_map_or_alias_is_refused_and_saves_nothing(world, fields, named) -> None:
    from rumbo.imports.models import Alias, ColumnMapping, ImportJob

    upload = SimpleUploadedFile("products.csv", GOOD.encode())
    data = {"kind": "products", "file": upload, "aliases": '["country:Holand=NL"]', **fields}
    response = bearer(world.alice).post("/api/v1/imports", data)
    assert response.status_code == 422, response.content
    assert named in response.content.decode()
    assert not Alias.objects.exists() and not ColumnMapping.objects.exists()
    assert not ImportJob.objects.exists()
