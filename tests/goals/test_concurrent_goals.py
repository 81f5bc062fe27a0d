"""Cascade, approve and reject are single transitions under the goal's row
lock: through the live server, on real threads released together,

- two cascades of one team goal: the shares exist once per member and add up
  to the target exactly (issue 14: both succeeded and assigned it twice);
- approve and reject of one proposal: exactly one applies, the other is
  refused with 409 (issue 14: both answered 200 in 4 of 10 tries)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from rumbo.tenancy.services import api_token_create
from tests.personas import build_world
from tests.sales.live import at_once, live_server, request

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10
PERIOD = {"metric": "revenue", "start": "2027-01-01", "end": "2027-03-31"}


def test_simultaneous_cascades_assign_the_target_once(tmp_path: Path) -> None:
    world = build_world()
    mark = api_token_create(member=world.mark, name="mark")[1]
    north = world.teams["north"].pk
    shares = {"shares": [{"member_id": world.rita.pk}, {"member_id": world.nina.pk, "weight": "2"}]}
    with live_server(tmp_path) as base:
        for n in range(ROUNDS // 2):
            status, goal = request(base, mark, "POST", "/goals",
                                   {**PERIOD, "team_id": north, "target": "1000.01",
                                    "name": f"North {n}"})  # fmt: skip
            assert status == 201, goal
            cascade = f"/goals/{goal['id']}/cascade"
            once = partial(request, base, mark, "POST", cascade, shares)
            answers = at_once(once, once)
            assert all(status in (200, 409) for status, _body in answers), answers
            assert 200 in [status for status, _body in answers]
            status, listed = request(base, mark, "GET", "/goals?page_size=500")
            mine = [g for g in listed["items"] if g["parent_id"] == goal["id"]]
            assert sorted(g["member_id"] for g in mine) == sorted([world.rita.pk, world.nina.pk])
            assert sum(Decimal(g["target"]) for g in mine) == Decimal("1000.01")


def test_approve_and_reject_at_once_apply_exactly_one(tmp_path: Path) -> None:
    world = build_world()
    rita = api_token_create(member=world.rita, name="rita")[1]
    mark = api_token_create(member=world.mark, name="mark")[1]
    alice = api_token_create(member=world.alice, name="alice")[1]
    with live_server(tmp_path) as base:
        for n in range(ROUNDS):
            status, goal = request(base, rita, "POST", "/goals",
                                   {**PERIOD, "member_id": world.rita.pk, "target": "10",
                                    "name": f"Proposal {n}"})  # fmt: skip
            assert status == 201 and goal["state"] == "proposed", goal
            url = f"/goals/{goal['id']}"
            answers = at_once(partial(request, base, mark, "POST", f"{url}/approve"),
                              partial(request, base, alice, "POST", f"{url}/reject",
                                      {"note": "Too low"}))  # fmt: skip
            statuses = [status for status, _body in answers]
            assert sorted(statuses) == [200, 409], answers
            state = "active" if statuses[0] == 200 else "rejected"
            assert request(base, rita, "GET", url)[1]["state"] == state
            refused = answers[statuses.index(409)][1]
            assert "already decided" in refused["detail"]
