"""The large path (COPY on PostgreSQL, executemany on SQLite) at a tiny scale."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from rumbo.demo.large import LARGE_SLUG
from rumbo.demo.setup import DEMO_PASSWORD
from rumbo.sales.models import Complaint, Customer, Deal, SurveyResponse
from rumbo.tenancy.models import Member, Organization, Team
from tests.demo.checks import assert_valid, summary
from tests.metrics.checks import assert_rollups_match

TODAY = dt.date(2026, 6, 15)
ARGS = ["--size", "large", "--scale", "0.0005", "--today", TODAY.isoformat(), "--seed", "3"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def schema() -> dict[str, list[tuple[str, ...]]]:
    """Indexes and foreign keys of the tables the large path fills."""
    found = {}
    with connection.cursor() as cursor:
        for table in ("sales_deal", "sales_dealline", "sales_customer", "sales_activity"):
            constraints = connection.introspection.get_constraints(cursor, table)
            found[table] = sorted(
                (tuple(c["columns"]), str(c["index"]), str(c["foreign_key"]))
                for c in constraints.values()
            )
    return found


@pytest.mark.django_db
def test_large_demo_at_tiny_scale_is_valid_and_complete() -> None:
    before = schema()
    output = run(*ARGS)
    assert "ready in" in output
    assert f"Metrics of {LARGE_SLUG!r} built" in output
    assert_rollups_match(Organization.objects.get(slug=LARGE_SLUG))
    reps = Member.objects.filter(organization__slug=LARGE_SLUG, role="rep")
    assert reps.count() == 6
    deals = Deal.objects.filter(organization__slug=LARGE_SLUG)
    assert deals.count() == 5000
    assert Customer.objects.filter(organization__slug=LARGE_SLUG).count() == 500
    assert SurveyResponse.objects.filter(organization__slug=LARGE_SLUG).count() > 500
    assert Complaint.objects.filter(organization__slug=LARGE_SLUG).exists()
    team = Team.objects.get(organization__slug=LARGE_SLUG, name="Team 1")
    assert team.parent.name == "Region 1" and team.parent.parent.name == "Division 1"
    assert_valid(LARGE_SLUG, TODAY)
    # The indexes and foreign keys set aside during the load are all back.
    assert schema() == before


@pytest.mark.django_db
def test_large_demo_is_deterministic() -> None:
    with transaction.atomic():
        run(*ARGS)
        first = summary(LARGE_SLUG)
        transaction.set_rollback(True)
    run(*ARGS)
    assert summary(LARGE_SLUG) == first


@pytest.mark.django_db
def test_large_demo_logins_can_log_in() -> None:
    output = run(*ARGS)
    for email in ("director@large.example", "manager@large.example", "rep@large.example"):
        assert email in output
        client = Client()
        response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
