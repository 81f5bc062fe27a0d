"""Access is declared, not defaulted (ADR 0015): every tenant model says how it
is scoped, the project refuses to start when one does not, and what each
declaration lets every persona read matches the tests' own table
(expected.py) — for every tenant model, pages or not (rollups, first facts,
the audit log)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from rumbo.metrics.models import FirstFact, ScorecardMetric
from rumbo.tenancy import scoping
from rumbo.tenancy.checks import is_tenant, owned_through, problem, through_problem
from rumbo.tenancy.models import AuditEntry, Organization
from tests.access import rules
from tests.access.expected import EXPECTED, HOLDER, THROUGH
from tests.access.world import PERSONAS, prepare
from tests.personas import World


def _tenant_labels() -> set[str]:
    return {m._meta.label for m in apps.get_models() if is_tenant(m)}


def test_table_covers_every_tenant_model() -> None:
    missing = _tenant_labels() - set(EXPECTED)
    assert not missing, f"Say in tests/access/expected.py who reads {sorted(missing)}"
    # Read through their member (HOLDER), with no organisation of their own.
    stale = set(EXPECTED) - _tenant_labels() - {"tenancy.ApiToken", "care.CalendarFeed"}
    assert not stale, f"tests/access/expected.py names models with no organisation: {stale}"


def test_the_project_checks_declare_every_tenant_model() -> None:
    call_command("check")  # raises SystemCheckError on tenancy.E001-E003


def test_every_model_hanging_off_a_tenant_record_says_which() -> None:
    found = {m._meta.label: getattr(m, "scope_through", None)
             for m in apps.get_models() if owned_through(m)}  # fmt: skip
    assert found == THROUGH


@isolate_apps("rumbo.tenancy")
def test_a_model_of_a_tenant_record_without_scope_through_is_refused() -> None:
    from rumbo.tenancy.models import Member

    class Loose(models.Model):  # noqa: DJ008
        member = models.ForeignKey(Member, on_delete=models.CASCADE)

        class Meta:
            app_label = "tenancy"

    found = through_problem(Loose)
    assert found is not None and found[0] == "tenancy.E004"
    Loose.scope_through = "member"  # type: ignore[attr-defined]
    assert through_problem(Loose) is None


@isolate_apps("rumbo.tenancy")
def test_a_tenant_model_without_a_declaration_is_refused() -> None:
    class Forgotten(models.Model):  # noqa: DJ008
        organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
        objects = scoping.ScopedQuerySet.as_manager()

        class Meta:
            app_label = "tenancy"

    assert problem(Forgotten) == (
        "tenancy.E001",
        "tenancy.Forgotten does not declare how it is scoped (scope_owner).",
    )
    # Read anyway, it is refused rather than taken for a catalogue.
    with pytest.raises(ImproperlyConfigured):
        scoping.scope_filter(Forgotten, None)  # type: ignore[arg-type]


@isolate_apps("rumbo.tenancy")
def test_a_declaration_that_names_no_member_is_refused() -> None:
    class Misdeclared(models.Model):  # noqa: DJ008
        organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
        title = models.CharField(max_length=10)
        objects = scoping.ScopedQuerySet.as_manager()
        scope_owner = "title"

        class Meta:
            app_label = "tenancy"

    class Unscoped(models.Model):  # noqa: DJ008
        organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
        scope_owner = scoping.CATALOGUE

        class Meta:
            app_label = "tenancy"

    assert problem(Misdeclared) == (
        "tenancy.E002",
        "tenancy.Misdeclared: scope_owner 'title' is not a path to a Member.",
    )
    assert problem(Unscoped) == (
        "tenancy.E003",
        "tenancy.Unscoped is not read through visible_to (ScopedQuerySet).",
    )


def _rows(model: type[models.Model]) -> list[Any]:
    return list(model._default_manager.order_by("pk"))


def _mismatches(world: World) -> list[str]:
    """What `visible_to` returns that the table says it should not, or misses."""
    prepare(world)
    for org, admin in ((world.acme, world.alice), (world.globex, world.oscar)):
        AuditEntry.objects.create(organization=org, actor=admin, action="update",
                                  model="sales.deal", object_id="1")  # fmt: skip
        ScorecardMetric.objects.create(organization=org, metric="revenue", weight=1, target=1)
    wrong = []
    for label, how in sorted(EXPECTED.items(), key=lambda item: item[0]):
        model = apps.get_model(label)
        if how is HOLDER and not is_tenant(model):
            continue  # the API token: its own pages are walked (test_api_walk)
        rows = _rows(model)
        assert {rules._org_id(r) for r in rows} >= {world.acme.pk, world.globex.pk}, (
            f"Add rows of {label} in both organisations to the world")  # fmt: skip
        for name in PERSONAS:
            member = world.members[name]
            seen = {r.pk for r in model._default_manager.visible_to(member)}  # type: ignore[attr-defined]
            expected = {r.pk for r in rows if rules.may_read(member, r)}
            if seen != expected:
                wrong.append(f"{label} for {name}: sees {sorted(seen)}, should {sorted(expected)}")
    return wrong


@pytest.mark.django_db
def test_every_tenant_model_reads_as_the_table_says(world: World) -> None:
    wrong = _mismatches(world)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_wrong_declaration_is_caught(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The first facts as a catalogue (what the old default made them): every rep
    # of the organisation would read who won which customer first.
    monkeypatch.setattr(FirstFact, "scope_owner", scoping.CATALOGUE)
    wrong = _mismatches(world)
    assert wrong and all(line.startswith("metrics.FirstFact for ") for line in wrong)
    assert any(line.startswith("metrics.FirstFact for rita:") for line in wrong)
