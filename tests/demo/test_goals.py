"""The demo comes with goals, so every dashboard has something to show."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

import pytest

from rumbo.demo.normal import DEMO_SLUG, REP_LOGIN, SOLO_SLUG
from rumbo.goals.models import Goal, Progress, State
from rumbo.metrics.leaderboards import leaderboard
from rumbo.metrics.models import ScorecardMetric
from rumbo.metrics.scorecards import DEFAULTS
from rumbo.sales.models import Deal
from rumbo.tenancy.models import Member, Team
from tests.demo.test_normal import MEDIUM, TODAY, build


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
    assert not goals.filter(member__role="manager").exists()  # they sell nothing
    assert goals.get(state=State.PROPOSED).member.email == REP_LOGIN
    solo = Goal.objects.filter(organization__slug=SOLO_SLUG)
    assert solo.count() == 3
    assert Progress.objects.filter(goal__in=solo).exists()


@pytest.mark.django_db
def test_demo_scorecard_targets_follow_the_demo_top_quarter() -> None:
    # On the default targets (four won deals a month) every rep of the full-size
    # demo beat every target and scored 100: a leaderboard of ties. The demo's
    # targets are its top-quarter rep's last quarter, where that is stricter
    # than the default.
    build(scale=MEDIUM)
    reps = Member.objects.filter(organization__slug=DEMO_SLUG, role="rep")
    won = Deal.objects.filter(outcome="won", closed_on__gte=date(2026, 1, 1),
                              closed_on__lte=date(2026, 3, 31))  # fmt: skip
    per_rep = [won.filter(owner=rep).count() for rep in reps]
    expected = (Decimal(statistics.quantiles(per_rep, n=4)[2]) / 3).quantize(Decimal(1))
    lines = ScorecardMetric.objects.filter(organization__slug=DEMO_SLUG)
    assert lines.get(metric="deals_won").target == max(expected, 4)  # 4: the default
    for line in lines:  # never easier than the default
        default = next(target for key, _weight, target in DEFAULTS if key == line.metric)
        assert (line.target <= default) if line.metric == "complaint_rate" \
            else (line.target >= default), line.metric  # fmt: skip
    assert lines.count() == len(DEFAULTS)
    admin = Member.objects.get(organization__slug=DEMO_SLUG, role="admin")
    scores = [s.value for s in leaderboard(actor=admin, start=date(2026, 4, 1), end=TODAY)]
    assert len(scores) == reps.count() and min(scores) < 100  # type: ignore[operator]
    assert not ScorecardMetric.objects.filter(organization__slug=SOLO_SLUG).exists()
