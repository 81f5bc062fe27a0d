"""The scorecard and leaderboard pages and API: who sees what, admin-only
editing with errors per field, and a query count that does not grow with the
number of reps."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rumbo.metrics.models import ScorecardMetric
from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.models import AuditEntry, Member
from tests import factories as f

pytestmark = pytest.mark.django_db


def formset(*lines: tuple[str, str, str]) -> dict[str, str]:
    data = {"form-TOTAL_FORMS": str(len(lines)), "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, (metric, weight, target) in enumerate(lines):
        data |= {f"form-{i}-metric": metric, f"form-{i}-weight": weight,
                 f"form-{i}-target": target}  # fmt: skip
    return data


def test_period_select_shows_the_period_the_page_shows(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.client("rita")
    for url, chosen in (("/scorecard/", "quarter"), ("/leaderboard/", "quarter"),
                        ("/scorecard/?period=year", "year")):  # fmt: skip
        page = rita.get(url).content.decode()
        assert f'<option value="{chosen}" selected>' in page, url


def test_everybody_reads_the_scorecard_and_only_admins_edit_it(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.client("rita")
    response = rita.get("/scorecard/")
    assert response.status_code == 200
    assert b'data-testid="score-breakdown"' in response.content
    assert b"configure-scorecard" not in response.content
    assert rita.get("/scorecard/settings/").status_code == 403
    assert rita.post("/scorecard/settings/", formset(("revenue", "1", "5000"))) \
        .status_code == 403  # fmt: skip
    assert not ScorecardMetric.objects.exists()
    assert b"configure-scorecard" in world.client("alice").get("/scorecard/").content


def test_an_admin_saves_a_scorecard_everybody_then_reads(world) -> None:  # type: ignore[no-untyped-def]
    alice = world.client("alice")
    assert alice.get("/scorecard/settings/").status_code == 200
    response = alice.post("/scorecard/settings/", formset(
        ("revenue", "3", "5000"), ("csat", "1", "85")))  # fmt: skip
    assert response.status_code == 302
    saved = list(ScorecardMetric.objects.filter(organization=world.acme)
                 .values_list("metric", "weight", "target"))  # fmt: skip
    assert saved == [("revenue", 3, 5000), ("csat", 1, 85)]
    assert AuditEntry.objects.filter(model="metrics.scorecardmetric", actor=world.alice).exists()
    body = world.client("rita").get("/api/v1/scorecard").json()
    assert body["configured"] is True
    assert [(m["metric"], m["per_rep_month"]) for m in body["metrics"]] == [
        ("revenue", True), ("csat", False)]  # fmt: skip
    # Globex still runs on the defaults.
    assert world.client("olga").get("/api/v1/scorecard").json()["configured"] is False


@pytest.mark.parametrize(("lines", "field", "message"), [
    ((("revenue", "0", "5000"),), "weight", "more than 0"),
    ((("revenue", "1", "0"),), "target", "more than 0"),
    ((("revenue", "1", "100"), ("revenue", "2", "100")), "metric", "already"),
])  # fmt: skip
def test_a_bad_scorecard_is_refused_field_by_field(world, lines, field, message) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").post("/scorecard/settings/", formset(*lines))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert b'data-testid="form-errors"' in response.content
    assert not ScorecardMetric.objects.exists()


def test_a_metric_computed_from_the_records_cannot_be_chosen(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").post("/scorecard/settings/",
                                          formset(("retention", "1", "50")))  # fmt: skip
    assert response.status_code == 400 and not ScorecardMetric.objects.exists()


def put(client, body):  # type: ignore[no-untyped-def]
    return client.put("/api/v1/scorecard", json.dumps(body), content_type="application/json")


def test_the_api_replaces_the_scorecard_for_admins_only(world) -> None:  # type: ignore[no-untyped-def]
    body = {"metrics": [{"metric": "deals_won", "weight": 2, "target": 5},
                        {"metric": "nps", "weight": 1, "target": 30}]}  # fmt: skip
    token_client = Client(headers={"Authorization": f"Bearer {token(world.mark)}"})
    assert put(token_client, body).status_code == 403
    admin = Client(headers={"Authorization": f"Bearer {token(world.alice)}"})
    response = put(admin, body)
    assert response.status_code == 200, response.content
    assert [m["metric"] for m in response.json()["metrics"]] == ["deals_won", "nps"]
    bad = put(admin, {"metrics": [{"metric": "nps", "weight": 0, "target": 30},
                                  {"metric": "nps", "weight": 1, "target": -1}]})  # fmt: skip
    assert bad.status_code == 422
    locs = {tuple(d["loc"][2:]) for d in bad.json()["detail"]}
    assert locs == {("metrics.0.weight",), ("metrics.1.metric",), ("metrics.1.target",)}
    assert ScorecardMetric.objects.filter(organization=world.acme).count() == 2


def token(member: Member) -> str:
    from rumbo.tenancy.services import api_token_create

    return api_token_create(member=member, name="test")[1]


def test_scores_and_leaderboards_api_answer_within_the_callers_scope(world) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)
    rita = world.client("rita")
    scores = rita.get("/api/v1/scores?period=month").json()
    assert [row["name"] for row in scores["rows"]] == ["Rita"]
    assert scores["rows"][0]["parts"]
    assert rita.get(f"/api/v1/scores?scope=rep:{world.nina.pk}").status_code == 404
    board = world.client("mark").get("/api/v1/leaderboards?key=deals_won&period=month").json()
    assert {row["name"] for row in board["rows"]} == {"Mark", "Rita", "Nina"}
    assert all(Decimal(str(row["value"])) == 1 for row in board["rows"])  # one deal each
    assert world.client("mark").get("/api/v1/leaderboards?key=retention").status_code == 422
    teams = world.client("alice").get("/api/v1/scores?by=team&period=year").json()["rows"]
    assert {row["name"] for row in teams} == {"North", "North-East", "South"}


def test_a_rep_sees_their_team_ranked_but_not_a_sibling_team(world) -> None:  # type: ignore[no-untyped-def]
    """Among peers (tests/metrics/test_peer_leaderboards.py): North and the
    North-East below it, not South."""
    metrics_rebuild(organization=world.acme)
    body = world.client("rita").get("/leaderboard/").content.decode()
    assert ">Nina<" in body and ">Mark<" in body and ">Sofia<" not in body
    body = world.client("mark").get("/leaderboard/?by=rep&key=deals_won&period=month").content
    assert b">Nina<" in body and b">Sofia<" not in body


def _more_reps(world, n: int) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    for i in range(n):
        rep = f.MemberFactory(organization=world.acme, team=world.teams["north"],
                              name=f"Extra {i}")  # fmt: skip
        customer = f.CustomerFactory(organization=world.acme, owner=rep)
        f.DealFactory(organization=world.acme, owner=rep, customer=customer, outcome="won",
                      stage="closed", closed_on=today - dt.timedelta(days=i % 20),
                      amount_base=Decimal(100 + i))  # fmt: skip
        f.SurveyResponseFactory(organization=world.acme, rep=rep, customer=customer)
    metrics_rebuild(organization=world.acme)


@pytest.mark.parametrize(("url", "most"), [
    ("/leaderboard/", 10), ("/leaderboard/?by=team&period=year", 11),
    ("/leaderboard/?key=revenue&period=custom&start=2026-01-10&end=2026-11-20", 12),
    ("/scorecard/", 12), ("/scorecard/?scope=org&period=month", 12),
    (None, 13),  # a manager's own team (one more: the navbar's unread count)
])  # fmt: skip
def test_pages_load_in_a_fixed_number_of_queries(world, url, most) -> None:  # type: ignore[no-untyped-def]
    """The same count for 3 reps as for 30 (and at most `most`)."""
    counts = []
    for extra in (0, 27):
        _more_reps(world, extra)
        client = world.client("alice" if url else "mark")
        client.get(url or "/scorecard/")  # sessions and caches warmed
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url or "/scorecard/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= most, counts
    if url == "/leaderboard/":
        assert b"Page 1 of 2" in response.content  # 31 people, 25 a page
