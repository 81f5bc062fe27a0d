"""Goals through the API: a rep's proposal, its approval, the timeline, field
errors that write nothing, and another organisation's ids."""

from __future__ import annotations

import pytest

from rumbo.goals.models import Goal
from tests.goals.conftest import make_goal
from tests.tenancy.api_client import bearer, call, fields

pytestmark = pytest.mark.django_db

BODY = {"metric": "revenue", "target": "3000", "start": "2026-01-01", "end": "2026-03-31",
        "milestones": [{"day": "2026-02-01", "target": "1000"}]}  # fmt: skip


def test_rep_proposes_and_manager_approves_through_the_api(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    rita = bearer(world.rita)
    created = call(rita, "POST", "/goals", {**BODY, "member_id": world.rita.pk})
    assert created.status_code == 201, created.content
    goal = created.json()
    assert goal["state"] == "proposed" and goal["milestones"][0]["target"] == "1000.00"
    approved = call(bearer(world.mark), "POST", f"/goals/{goal['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "active"
    latest = approved.json()["latest"]
    assert latest["status"] in ("on_track", "at_risk", "off_track", "achieved", "missed")
    assert approved.json()["summary"]
    history = call(rita, "GET", f"/goals/{goal['id']}/progress").json()
    assert history[0]["day"] == "2026-01-01" and len(history) >= 31


def test_bad_goal_is_refused_field_by_field_and_nothing_is_written(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    alice = bearer(world.alice)
    outside = {**BODY, "member_id": world.rita.pk,
               "milestones": [{"day": "2027-01-01", "target": "5"}]}  # fmt: skip
    assert fields(call(alice, "POST", "/goals", outside)) == {"milestones"}
    assert fields(call(alice, "POST", "/goals", {**BODY, "metric": "pipeline_value"})) == {
        "metric"}  # fmt: skip
    olga = world.members["olga"]
    assert fields(call(alice, "POST", "/goals", {**BODY, "member_id": olga.pk})) == {"member_id"}
    assert not Goal.objects.exists()


def test_goals_of_others_answer_404_and_lists_are_scoped(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    ritas = make_goal(world, "alice", member=world.rita)
    make_goal(world, "alice", member=world.sofia)
    assert call(bearer(world.sofia), "GET", f"/goals/{ritas.pk}").status_code == 404
    assert call(bearer(world.members["oscar"]), "GET", f"/goals/{ritas.pk}").status_code == 404
    names = {g["member_id"] for g in call(bearer(world.mark), "GET", "/goals").json()["items"]}
    assert names == {world.rita.pk}


def test_cascade_through_the_api(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    team_goal = make_goal(world, "mark", team=world.teams["north"])
    answer = call(bearer(world.mark), "POST", f"/goals/{team_goal.pk}/cascade",
                  {"shares": [{"member_id": world.rita.pk, "weight": "2"},
                              {"member_id": world.nina.pk}]})  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert sorted(g["target"] for g in answer.json()) == ["1000.00", "2000.00"]
    refused = call(bearer(world.mark), "POST", f"/goals/{team_goal.pk}/cascade",
                   {"shares": [{"member_id": world.sofia.pk}]})  # fmt: skip
    assert fields(refused) == {"shares"}
