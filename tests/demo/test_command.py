"""`rumbo demo` as people run it: logins printed, --if-empty, real passwords."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from rumbo.demo.setup import DEMO_PASSWORD
from rumbo.metrics.models import RollupDay
from rumbo.sales.models import Deal
from rumbo.tenancy.models import Organization
from tests.metrics.checks import assert_rollups_match

ARGS = ["--scale", "0.02", "--today", "2026-03-01"]
LOGINS = ["director@demo.example", "manager@demo.example", "rep@demo.example",
          "seller@solo.example"]  # fmt: skip


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_prints_one_login_per_role_and_the_time_it_took() -> None:
    output = run(*ARGS)
    assert DEMO_PASSWORD in output
    for email in LOGINS:
        assert email in output
    assert "ready in" in output


@pytest.mark.django_db
def test_every_printed_login_can_log_in() -> None:
    run(*ARGS)
    for email in LOGINS:
        client = Client()
        response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_if_empty_leaves_existing_demo_alone() -> None:
    run(*ARGS)
    deals = Deal.objects.count()
    output = run("--if-empty", *ARGS)
    assert "already" in output
    assert "director@demo.example" in output
    assert Organization.objects.filter(slug="demo").count() == 1
    assert Deal.objects.count() == deals


@pytest.mark.django_db
def test_second_run_without_if_empty_refuses() -> None:
    run(*ARGS)
    with pytest.raises(CommandError):
        run(*ARGS)


@pytest.mark.django_db
def test_the_demo_has_its_metrics_built_right_away() -> None:
    """Dashboards read the rollups: right after `rumbo demo` they hold every figure."""
    output = run(*ARGS)
    for slug in ("demo", "solo"):
        organization = Organization.objects.get(slug=slug)
        assert f"Metrics of '{slug}' built" in output
        assert RollupDay.objects.filter(organization=organization).exists()
        assert_rollups_match(organization)
