"""`rumbo metrics show` and /api/v1/metrics: the same evaluation, scoped to the
caller (the command acts as the organisation's admin)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from rumbo.metrics import registry
from rumbo.metrics.services import metrics_rebuild
from tests import factories as f
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(world):  # type: ignore[no-untyped-def]
    """Won deals: Rita 100 in January and 300 in March; Sofia 50 in March."""
    for name, amount, day in (("rita", "100", dt.date(2025, 1, 10)),
                              ("rita", "300", dt.date(2025, 3, 5)),
                              ("sofia", "50", dt.date(2025, 3, 20))):  # fmt: skip
        member = world.members[name]
        f.DealFactory(organization=world.acme, owner=member, outcome="won", closed_on=day,
                      customer=world.records[name].customer, amount=Decimal(amount),
                      amount_base=Decimal(amount), created_on=dt.date(2025, 1, 1))  # fmt: skip
    metrics_rebuild(organization=world.acme)
    return world


def _show(*args: str) -> str:
    out = StringIO()
    call_command("metrics", "show", "--org", "acme", *args, stdout=out)
    return out.getvalue()


def test_show_json_names_each_group_under_the_by_key(sold) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(_show("--metric", "revenue", "--from", "2025-01-01", "--to", "2025-03-31",
                            "--by", "rep", "--format", "json"))  # fmt: skip
    assert rows == [{"rep": "Rita", "value": 400}, {"rep": "Sofia", "value": 50}]
    months = json.loads(_show("--metric", "revenue", "--from", "2025-01-01", "--to",
                              "2025-03-31", "--by", "month", "--format", "json"))  # fmt: skip
    assert months == [{"month": "2025-01", "value": 100}, {"month": "2025-02", "value": 0},
                      {"month": "2025-03", "value": 350}]  # fmt: skip
    teams = json.loads(_show("--metric", "avg_deal_size", "--from", "2025-01-01", "--to",
                             "2025-03-31", "--by", "team", "--format", "json"))  # fmt: skip
    assert teams == [{"team": "North", "value": 200}, {"team": "South", "value": 50}]
    total = json.loads(_show("--metric", "revenue", "--from", "2025-03-01", "--to",
                             "2025-03-31", "--format", "json"))  # fmt: skip
    assert total == [{"value": 350}]


def test_show_table_and_refusals(sold) -> None:  # type: ignore[no-untyped-def]
    table = _show("--metric", "win_rate", "--from", "2025-01-01", "--to", "2025-03-31",
                  "--by", "rep")  # fmt: skip
    assert "Rita" in table and "100.00" in table
    with pytest.raises(CommandError, match="No metric"):
        _show("--metric", "happiness")
    with pytest.raises(CommandError, match="after"):
        _show("--metric", "revenue", "--from", "2025-03-01", "--to", "2025-01-01")


def test_api_lists_the_registry(sold) -> None:  # type: ignore[no-untyped-def]
    listed = call(bearer(sold.rita), "get", "/metrics")
    assert listed.status_code == 200
    keys = {m["key"] for m in listed.json()}
    assert keys == set(registry.METRICS)
    win_rate = next(m for m in listed.json() if m["key"] == "win_rate")
    assert (win_rate["unit"], win_rate["direction"], win_rate["additive"]) == (
        "percent", "higher", True)  # fmt: skip
    assert Client().get("/api/v1/metrics").status_code == 401


def test_api_evaluates_within_the_callers_scope(sold) -> None:  # type: ignore[no-untyped-def]
    query = "/metrics/revenue?from=2025-01-01&to=2025-03-31&by=rep"
    admin = call(bearer(sold.alice), "get", query).json()
    assert [(r["name"], r["value"]) for r in admin["rows"]] == [("Rita", "400.00"),
                                                               ("Sofia", "50.00")]  # fmt: skip
    assert (admin["from"], admin["to"], admin["by"]) == ("2025-01-01", "2025-03-31", "rep")
    rita = call(bearer(sold.rita), "get", query).json()
    assert [r["name"] for r in rita["rows"]] == ["Rita"]
    mark = call(bearer(sold.mark), "get", query).json()  # North and below: not Sofia
    assert [r["name"] for r in mark["rows"]] == ["Rita"]
    south = sold.teams["south"].pk
    team = call(bearer(sold.alice), "get",
                f"/metrics/revenue?from=2025-01-01&to=2025-03-31&scope=team:{south}")  # fmt: skip
    assert team.json()["rows"][0]["value"] == "50.00"


@pytest.mark.parametrize(("path", "status"), [
    ("/metrics/happiness", 404),
    ("/metrics/revenue?by=year", 422),
    ("/metrics/revenue?scope=everyone", 422),
    ("/metrics/revenue?from=2025-03-01&to=2025-01-01", 422),
    ("/metrics/revenue?from=yesterday", 422),
])  # fmt: skip
def test_api_refuses_bad_questions(sold, path, status) -> None:  # type: ignore[no-untyped-def]
    assert call(bearer(sold.alice), "get", path).status_code == status


def test_api_answers_404_for_a_scope_out_of_reach(sold) -> None:  # type: ignore[no-untyped-def]
    sofia, globex = sold.sofia.pk, sold.teams["globex"].pk
    assert call(bearer(sold.mark), "get", f"/metrics/revenue?scope=rep:{sofia}").status_code == 404
    assert call(bearer(sold.alice), "get",
                f"/metrics/revenue?scope=team:{globex}").status_code == 404  # fmt: skip
