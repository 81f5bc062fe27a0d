"""Authorise before applying: a write is judged on the goal as it is stored
*and* as it would become, before anything is written (issue 14: a manager
re-owned and deleted an organisation goal through the API)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from rumbo.goals.models import Goal
from rumbo.goals.services import goal_delete, goal_save
from tests.goals.conftest import make_goal
from tests.personas import World
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


def _stored(goal: Goal) -> tuple[int | None, int | None, Decimal]:
    fresh = Goal.objects.get(pk=goal.pk)
    return fresh.member_id, fresh.team_id, fresh.target


def test_a_manager_cannot_re_own_an_organisation_goal_through_the_api(world: World) -> None:
    org_goal = make_goal(world, "alice", name="Acme year")
    before = _stored(org_goal)
    mark = bearer(world.mark)
    answer = call(mark, "PATCH", f"/goals/{org_goal.pk}",
                  {"team_id": world.teams["north"].pk, "target": "1"})  # fmt: skip
    assert answer.status_code == 403, answer.content
    assert _stored(org_goal) == before


def test_a_manager_cannot_delete_an_organisation_goal_through_the_api(world: World) -> None:
    """(Refused today too; kept with the re-owning above, which used to open it.)"""
    org_goal = make_goal(world, "alice", name="Acme year")
    answer = call(bearer(world.mark), "DELETE", f"/goals/{org_goal.pk}")
    assert answer.status_code == 403, answer.content
    assert Goal.objects.filter(pk=org_goal.pk).exists()


def test_the_service_judges_the_stored_goal_not_the_changed_instance(world: World) -> None:
    """Pages, API and imports share the service: an instance changed in memory
    (as a ModelForm or the API's payload leaves it) is checked against the row."""
    org_goal = make_goal(world, "alice", name="Acme year")
    goal = Goal.objects.get(pk=org_goal.pk)
    goal.team = world.teams["north"]
    goal.target = Decimal(1)
    with pytest.raises(PermissionDenied):
        goal_save(actor=world.mark, goal=goal, creating=False)
    assert _stored(org_goal) == (None, None, Decimal(3000))
    goal.team = world.teams["north"]
    with pytest.raises(PermissionDenied):
        goal_delete(actor=world.mark, goal=goal)
    assert Goal.objects.filter(pk=org_goal.pk).exists()


def test_a_manager_cannot_push_a_team_goal_up_to_the_organisation(world: World) -> None:
    north_goal = make_goal(world, "mark", team=world.teams["north"])
    answer = call(bearer(world.mark), "PATCH", f"/goals/{north_goal.pk}", {"team_id": None})
    assert answer.status_code in (403, 422), answer.content
    assert _stored(north_goal)[1] == world.teams["north"].pk


def test_a_manager_still_changes_goals_they_set(world: World) -> None:
    north_goal = make_goal(world, "mark", team=world.teams["north"])
    answer = call(bearer(world.mark), "PATCH", f"/goals/{north_goal.pk}", {"target": "10"})
    assert answer.status_code == 200, answer.content
    assert _stored(north_goal)[2] == Decimal(10)
