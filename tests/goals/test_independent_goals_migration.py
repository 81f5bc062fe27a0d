"""Goals 0005: an independent seller's organisation or team goals, saved before
the form made her goals hers, become her own — only where she is the
organisation's one member."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from rumbo.goals.models import Goal
from rumbo.tenancy.models import Member
from tests.personas import World
from tests.solo import make_seller

pytestmark = pytest.mark.django_db

make_hers = importlib.import_module(
    "rumbo.goals.migrations.0005_independent_goals_are_hers"
).make_hers


def _goal(org, **owner) -> Goal:  # type: ignore[no-untyped-def]
    return Goal.objects.create(organization=org, metric="revenue", target=10,
                               start="2026-01-01", end="2026-03-31", **owner)  # fmt: skip


def test_her_organisation_and_team_goals_become_hers(world: World) -> None:
    ana = make_seller()
    old_org, old_team = _goal(ana.organization), _goal(ana.organization, team=ana.team)
    acme = _goal(world.acme)  # an organisation with people keeps its goals
    make_hers(apps, None)
    for goal in (old_org, old_team):
        goal.refresh_from_db()
        assert (goal.member_id, goal.team_id) == (ana.pk, None)
    acme.refresh_from_db()
    assert acme.member_id is None


def test_an_independent_organisation_with_more_people_is_left_alone() -> None:
    ana = make_seller()
    Member.objects.create(organization=ana.organization, name="Imported rep", role="rep")
    goal = _goal(ana.organization)
    make_hers(apps, None)
    goal.refresh_from_db()
    assert goal.member_id is None
