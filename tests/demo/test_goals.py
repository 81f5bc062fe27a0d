"""The demo comes with goals, so every dashboard has something to show."""

from __future__ import annotations

import pytest

from rumbo.demo.normal import DEMO_SLUG, REP_LOGIN, SOLO_SLUG
from rumbo.goals.models import Goal, Progress, State
from rumbo.tenancy.models import Member, Team
from tests.demo.test_normal import build


@pytest.mark.django_db
def test_demo_has_goals_for_every_rep_team_and_the_organisation() -> None:
    build()
    goals = Goal.objects.filter(organization__slug=DEMO_SLUG)
    reps = Member.objects.filter(organization__slug=DEMO_SLUG, role="rep", is_active=True)
    for rep in reps:
        mine = goals.filter(member=rep, state=State.ACTIVE)
        assert set(mine.values_list("metric", flat=True)) == {"revenue", "deals_won"}, rep
        assert mine.get(metric="deals_won").milestones.count() == 1
    for team in Team.objects.filter(organization__slug=DEMO_SLUG, parent__isnull=False):
        team_goal = goals.get(team=team)
        assert team_goal.shares.count() == reps.filter(team=team).count()
    assert goals.filter(member__isnull=True, team__isnull=True).count() == 1
    assert goals.get(state=State.PROPOSED).member.email == REP_LOGIN
    solo = Goal.objects.filter(organization__slug=SOLO_SLUG)
    assert solo.count() == 3
    assert Progress.objects.filter(goal__in=solo).exists()
