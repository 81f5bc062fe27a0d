"""Who may set, propose, approve and cascade goals, and what each leaves behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rumbo.goals.models import Goal, Progress, State
from rumbo.goals.services import goal_approve, goal_cascade, goal_reject, goal_save
from tests.goals.conftest import D, make_goal

pytestmark = pytest.mark.django_db


def test_reps_own_goal_is_a_proposal_until_the_manager_approves(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "rita", member=world.rita)
    assert goal.state == State.PROPOSED
    assert not Progress.objects.filter(goal=goal).exists()
    with pytest.raises(PermissionDenied):
        goal_approve(actor=world.sam, goal=goal)  # South's manager is not Rita's
    with pytest.raises(ValidationError):
        goal_approve(actor=world.rita, goal=goal)
    goal_approve(actor=world.mark, goal=goal)
    goal.refresh_from_db()
    assert goal.state == State.ACTIVE and goal.decided_by == world.mark
    assert Progress.objects.filter(goal=goal).count() > 30  # its timeline, from 1 January


def test_rejection_needs_a_reason_and_the_rep_can_revise(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "rita", member=world.rita)
    with pytest.raises(ValidationError):
        goal_reject(actor=world.mark, goal=goal, note="  ")
    goal_reject(actor=world.mark, goal=goal, note="Too low for Q1")
    goal.refresh_from_db()
    assert goal.state == State.REJECTED and goal.note == "Too low for Q1"
    goal.target = Decimal(5000)
    goal_save(actor=world.rita, goal=goal, creating=False)
    assert Goal.objects.get(pk=goal.pk).state == State.PROPOSED


def test_rep_cannot_set_goals_for_others_or_teams(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    with pytest.raises((PermissionDenied, ValidationError)):
        make_goal(world, "rita", member=world.nina)
    with pytest.raises(PermissionDenied):
        make_goal(world, "rita", team=world.teams["north"])
    with pytest.raises(ValidationError):
        make_goal(world, "mark", member=world.sofia)  # another branch of the tree
    with pytest.raises(PermissionDenied):
        make_goal(world, "mark")  # organisation goals are the admin's


def test_active_goal_cannot_be_changed_by_its_rep(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "mark", member=world.rita)
    goal.target = Decimal(1)
    with pytest.raises(PermissionDenied):
        goal_save(actor=world.rita, goal=goal, creating=False)


def test_milestones_must_fall_within_the_goal(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    with pytest.raises(ValidationError) as caught:
        make_goal(world, "alice", member=world.rita, milestones=[(D(2026, 5, 1), Decimal(10))])
    assert "milestones" in caught.value.message_dict
    assert not Goal.objects.exists()


def test_cascade_splits_a_running_total_by_weight_and_shows_the_rest(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "mark", team=world.teams["north"], target=Decimal(1000))
    weights = {world.rita.pk: Decimal(3), world.nina.pk: Decimal(1)}
    shares = goal_cascade(actor=world.mark, goal=goal, weights=weights)
    assert sorted(g.target for g in shares) == [Decimal(250), Decimal(750)]
    assert all(g.state == State.ACTIVE and g.parent == goal for g in shares)
    # Cascading again updates the shares instead of adding more.
    goal_cascade(actor=world.mark, goal=goal, weights={world.rita.pk: Decimal(1)})
    assert goal.shares.count() == 2
    assert goal.shares.get(member=world.rita).target == Decimal(1000)


def test_cascade_split_adds_up_to_the_target_to_the_cent(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "mark", team=world.teams["north"], target=Decimal("100.00"))
    weights = {world.rita.pk: Decimal(1), world.nina.pk: Decimal(1), world.mark.pk: Decimal(1)}
    shares = goal_cascade(actor=world.mark, goal=goal, weights=weights)
    targets = sorted(g.target for g in shares)
    # 33.33 each would leave a cent over; 33.34 each would assign a cent too many.
    assert targets == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(targets) == goal.target


def test_cascade_refuses_people_outside_the_team(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "alice", team=world.teams["north"])
    with pytest.raises(ValidationError):
        goal_cascade(actor=world.alice, goal=goal, weights={world.sofia.pk: Decimal(1)})
    assert not goal.shares.exists()


def test_rate_goals_cascade_the_same_target(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "alice", team=world.teams["north"], metric="win_rate",
                     target=Decimal(40))  # fmt: skip
    weights = {world.rita.pk: Decimal(1), world.nina.pk: Decimal(2)}
    shares = goal_cascade(actor=world.alice, goal=goal, weights=weights)
    assert {g.target for g in shares} == {Decimal(40)}
