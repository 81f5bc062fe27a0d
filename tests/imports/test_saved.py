"""The pages of aliases and saved column mappings: list (filters, sorting,
paging), edit, delete, with their checks; admins only; and what they change
in the next import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from rumbo.imports.models import Alias, ColumnMapping, ImportJob
from rumbo.sales.models import Customer
from tests import factories as f


def _alias(world, spelling: str, kind: str = "product", **extra) -> Alias:  # type: ignore[no-untyped-def]
    if kind == "product" and "record_id" not in extra and "value" not in extra:
        extra["record_id"] = world.catalogue["acme"]["product"].pk
    return Alias.objects.create(organization=world.acme, kind=kind, spelling=spelling, **extra)


def test_alias_created_edited_and_deleted_from_its_pages(world) -> None:
    client = world.client("alice")
    widget = world.catalogue["acme"]["product"]
    response = client.post("/imports/aliases/new/", {"kind": "product", "spelling": " Widget  PRO ",
                                                     "target": "acme widget"})  # fmt: skip
    assert response.status_code == 302
    alias = Alias.objects.get(organization=world.acme)
    assert (alias.spelling, alias.record_id, alias.value) == ("widget pro", widget.pk, "")
    page = client.get(f"/imports/aliases/{alias.pk}/").content.decode()
    assert "in a file means Acme widget" in page
    listing = client.get("/imports/aliases/").content.decode()
    assert "widget pro" in listing and "Acme widget" in listing

    response = client.post(
        f"/imports/aliases/{alias.pk}/edit/",
        {"kind": "product", "spelling": "widget pro", "target": "Acme widgte"},
    )
    assert response.status_code == 400
    assert (
        "No product is called Acme widgte. Did you mean “Acme widget”?" in response.content.decode()
    )

    response = client.post(f"/imports/aliases/{alias.pk}/delete/")
    assert response.status_code == 302
    assert not Alias.objects.filter(pk=alias.pk).exists()


def test_an_alias_spelled_twice_is_refused(world) -> None:
    _alias(world, "widget pro")
    client = world.client("alice")
    response = client.post("/imports/aliases/new/", {"kind": "product", "spelling": "WIDGET   Pro",
                                                     "target": "Acme widget"})  # fmt: skip
    assert response.status_code == 400
    assert "There is already an alias for this spelling" in response.content.decode()
    assert Alias.objects.filter(organization=world.acme).count() == 1


def test_another_organisations_record_is_not_a_target(world) -> None:
    response = world.client("alice").post(
        "/imports/aliases/new/",
        {"kind": "product", "spelling": "gw", "target": "Globex widget"},
    )
    assert response.status_code == 400
    assert "No product is called Globex widget" in response.content.decode()
    assert not Alias.objects.exists()


@pytest.mark.parametrize(
    ("kind", "target", "value"),
    [("stage", "Ganado", "closed:won"), ("stage", "negotiation", "negotiation:open"),
     ("gender", "Mujer", "female"), ("segment", "Retail", "Retail")],
)  # fmt: skip
def test_word_aliases_store_what_the_import_reads(world, kind, target, value) -> None:
    client = world.client("alice")
    response = client.post("/imports/aliases/new/", {"kind": kind, "spelling": "Verbal yes",
                                                     "target": target})  # fmt: skip
    assert response.status_code == 302
    assert Alias.objects.get(organization=world.acme).value == value


@pytest.mark.parametrize(("kind", "target", "error"), [
    ("stage", "maybe", "Name a stage Rumbo knows"),
    ("gender", "sometimes", "sometimes is not one of"),
    ("customer", "", "This field is required"),
])  # fmt: skip
def test_word_aliases_meaning_nothing_are_refused(world, kind, target, error) -> None:
    response = world.client("alice").post(
        "/imports/aliases/new/", {"kind": kind, "spelling": "x", "target": target}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Alias.objects.exists()


def test_an_alias_to_a_deleted_record_is_flagged_and_no_longer_used(world, importer) -> None:
    gone = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Gone Ltd")
    alias = _alias(world, "gone limited", kind="customer", record_id=gone.pk)
    kept = _alias(world, "widget pro")
    Customer.objects.filter(pk=gone.pk).delete()
    client = world.client("alice")
    page = client.get("/imports/aliases/?broken=true").content.decode()
    assert 'data-testid="alias-broken"' in page and "gone limited" in page
    assert "widget pro" not in page
    page = client.get("/imports/aliases/?broken=false").content.decode()
    assert "widget pro" in page and "gone limited" not in page
    detail = client.get(f"/imports/aliases/{alias.pk}/").content.decode()
    assert "has been deleted" in detail
    result = importer.run("contacts", "c.csv", "Name,Customer\nAna,Gone Limited\n")
    assert [p.reason for p in result.problems] == ["No customer is called Gone Limited."]
    assert kept.pk


def test_alias_list_filters_sorts_and_pages(world, settings, django_assert_max_num_queries) -> None:
    settings.PAGE_SIZE = 5
    for i in range(7):
        _alias(world, f"widget {i}")
    _alias(world, "verbal yes", kind="stage", value="negotiation:open")
    _alias(world, "rita k", kind="member", record_id=world.rita.pk)
    client = world.client("alice")
    with django_assert_max_num_queries(12):
        page = client.get("/imports/aliases/?sort=-spelling").content.decode()
    assert page.index("widget 6") < page.index("widget 5")
    assert "9 records" in page and "Page 1 of 2" in page
    page = client.get("/imports/aliases/?kind=stage").content.decode()
    assert "verbal yes" in page and "Negotiation" in page and "widget 1" not in page
    page = client.get("/imports/aliases/?q=rita").content.decode()
    assert "rita k" in page and "Rita" in page and "widget 1" not in page


def test_mapping_pages_and_the_next_upload(world) -> None:
    client = world.client("alice")
    columns = "Cuenta = name\nDueño = owner\nNotas =\n"
    response = client.post(
        "/imports/mappings/new/", {"kind": "customers", "name": "CRM viejo", "columns": columns}
    )
    assert response.status_code == 302
    mapping = ColumnMapping.objects.get(organization=world.acme)
    assert mapping.mapping == {"Cuenta": "name", "Dueño": "owner_id", "Notas": ""}
    detail = client.get(f"/imports/mappings/{mapping.pk}/").content.decode()
    assert "Cuenta" in detail and "left out" in detail
    assert "3 columns" in client.get("/imports/mappings/?kind=customers").content.decode()

    upload = SimpleUploadedFile("c.csv", "Cuenta,Dueño,Notas\nNew Co,Rita,x\n".encode())
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job reads the file
        client.post("/imports/new/", {"kind": "customers", "preset": "generic", "file": upload})
    job = ImportJob.objects.get(organization=world.acme)
    assert job.mapping == {"Cuenta": "name", "Dueño": "owner_id", "Notas": ""}

    edit = client.get(f"/imports/mappings/{mapping.pk}/edit/").content.decode()
    assert "Cuenta = name" in edit
    bad = "Cuenta = nombre\nCuenta = x\nzz"
    response = client.post(
        f"/imports/mappings/{mapping.pk}/edit/",
        {"kind": "customers", "name": "CRM viejo", "columns": bad},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: Cuenta is already mapped above." in body
    assert "Line 3: write the header, “=”, then the field." in body
    assert ColumnMapping.objects.get(pk=mapping.pk).mapping["Dueño"] == "owner_id"

    response = client.post(f"/imports/mappings/{mapping.pk}/edit/", {
        "kind": "customers", "name": "CRM viejo", "columns": "Cuenta = colour"})  # fmt: skip
    assert (
        response.status_code == 400 and "have no field called colour" in response.content.decode()
    )
    response = client.post(
        "/imports/mappings/new/", {"kind": "customers", "name": "CRM viejo", "columns": "A = name"}
    )
    assert response.status_code == 400
    assert "There is already a mapping of this kind with this name." in response.content.decode()

    assert client.post(f"/imports/mappings/{mapping.pk}/delete/").status_code == 302
    assert not ColumnMapping.objects.exists()


@pytest.mark.parametrize("name", ["mark", "rita"])
def test_only_admins_reach_aliases_and_mappings(world, name) -> None:
    alias = _alias(world, "widget pro")
    client = world.client(name)
    for url in ("/imports/aliases/", f"/imports/aliases/{alias.pk}/", "/imports/aliases/999999/",
                "/imports/mappings/", "/imports/mappings/new/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(f"/imports/aliases/{alias.pk}/delete/").status_code == 403
    assert Alias.objects.filter(pk=alias.pk).exists()


def test_another_organisations_alias_is_not_found(world) -> None:
    alias = _alias(world, "widget pro")
    client = world.client("oscar")
    assert client.get(f"/imports/aliases/{alias.pk}/").status_code == 404
    assert client.post(f"/imports/aliases/{alias.pk}/delete/").status_code == 404


def test_admins_find_imports_in_the_navigation(world) -> None:
    page = world.client("alice").get("/imports/").content.decode()
    assert 'href="/imports/"' in page
    assert 'href="/imports/aliases/"' in page and 'href="/imports/mappings/"' in page
    home = world.client("rita").get("/").content.decode()
    assert 'href="/imports/"' not in home
