"""Progress recorded from the rollups: a goal's value agrees with the metric
evaluated over the same people and days, its history starts filled, and the
daily job records one row per goal and day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.goals.models import Progress
from rumbo.goals.progress import goals_recompute
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.registry import get_metric
from rumbo.metrics.selectors import evaluate
from tests.goals.conftest import D, make_goal, won

pytestmark = pytest.mark.django_db


def _revenue(world, scope: Scope, start: dt.date, end: dt.date) -> Decimal:  # type: ignore[no-untyped-def]
    metric = get_metric("revenue")
    assert metric is not None
    rows = evaluate(actor=world.alice, metric=metric, scope=scope, start=start, end=end).rows
    return rows[0].value or Decimal(0) if rows else Decimal(0)


def test_rep_team_and_organisation_goals_agree_with_the_metric(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    rep = make_goal(world, "alice", member=world.rita)
    team = make_goal(world, "alice", team=world.teams["north"])
    org = make_goal(world, "alice")
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    got = {g.pk: Progress.objects.get(goal=g, day=D(2026, 2, 10)).actual for g in (rep, team, org)}
    period = (D(2026, 1, 1), D(2026, 2, 10))
    assert got[rep.pk] == _revenue(world, Scope("rep", world.rita.pk), *period)
    # North's figures include Nina's, in North-East below it.
    assert got[team.pk] == _revenue(world, Scope("team", world.teams["north"].pk), *period)
    assert got[team.pk] > got[rep.pk]
    assert got[org.pk] == _revenue(world, Scope(), *period) == got[team.pk] + Decimal(1000)


def test_a_new_goal_opens_with_its_history_filled_day_by_day(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "alice", member=world.rita, start=D(2026, 1, 1), end=D(2026, 1, 31))
    rows = {p.day: p for p in Progress.objects.filter(goal=goal)}
    assert len(rows) == 31  # the goal ended before today: every day of it
    # Thursday 1 January sold 100; Monday 5 and Thursday 8 January 100 each.
    assert [rows[D(2026, 1, d)].actual for d in (1, 4, 5, 8)] == [100, 100, 200, 300]
    assert rows[D(2026, 1, 31)].status in ("achieved", "missed")
    pace = Decimal(3000) * 16 / 31
    assert rows[D(2026, 1, 16)].expected == pytest.approx(pace, abs=Decimal("0.01"))


def test_late_sale_shows_in_the_next_recorded_day(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "alice", member=world.rita)
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    before = Progress.objects.get(goal=goal, day=D(2026, 2, 10)).actual
    won(world, "rita", D(2026, 2, 2), "250.00")
    from rumbo.metrics.services import metrics_rebuild

    metrics_rebuild(organization=world.acme)
    assert goals_recompute(organization=world.acme, day=D(2026, 2, 10)) == 1
    assert Progress.objects.get(goal=goal, day=D(2026, 2, 10)).actual == before + 250


def test_forecast_and_probability_come_from_the_reps_own_weeks(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    # Rita sells 200 a week: 2,600 a quarter is within reach, 6,000 is not.
    easy = make_goal(world, "alice", member=world.rita, target=Decimal(2000))
    hard = make_goal(world, "alice", member=world.rita, target=Decimal(6000))
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    easy_row = Progress.objects.get(goal=easy, day=D(2026, 2, 10))
    hard_row = Progress.objects.get(goal=hard, day=D(2026, 2, 10))
    assert easy_row.forecast == hard_row.forecast
    assert Decimal(2400) < easy_row.forecast < Decimal(2800)  # type: ignore[operator]
    assert easy_row.status == "on_track" and hard_row.status == "off_track"


def test_a_team_forecast_adds_up_its_members_weeks(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    # North sells 250 a week (Rita 200, Nina 50); seven weeks remain after 10 February.
    team = make_goal(world, "alice", team=world.teams["north"])
    rep = make_goal(world, "alice", member=world.rita)  # after the team's: its weeks stay hers
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    team_row = Progress.objects.get(goal=team, day=D(2026, 2, 10))
    rep_row = Progress.objects.get(goal=rep, day=D(2026, 2, 10))
    assert team_row.forecast == team_row.actual + 7 * 250  # type: ignore[operator]
    assert rep_row.forecast == rep_row.actual + 7 * 200  # type: ignore[operator]
    # Every week alike, yet the band stays open: the weekly mean may drift (ADR 0014).
    assert team_row.low < team_row.forecast < team_row.high  # type: ignore[operator]


def test_other_organisations_goals_are_left_alone(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    make_goal(world, "oscar", member=world.members["olga"])
    assert goals_recompute(organization=world.acme, day=D(2026, 2, 10)) == 0


def test_a_sale_moves_todays_progress_once_the_rollups_are_refreshed(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A rep records a won deal: the refresh that follows the write records the
    goals it touches again, so today's progress already counts the sale."""
    from rumbo.goals.progress import local_today
    from rumbo.metrics.services import metrics_rebuild
    from rumbo.sales import services
    from rumbo.sales.models import Deal

    metrics_rebuild(organization=world.acme)
    today = local_today(world.acme)
    goal = make_goal(world, "alice", member=world.rita, start=today.replace(day=1),
                     end=today.replace(day=28) if today.day <= 28 else today)  # fmt: skip
    before = Progress.objects.get(goal=goal, day=today).actual or Decimal(0)
    deal = Deal(organization=world.acme, name="Fresh sale", currency="EUR", owner=world.rita,
                customer=world.records["rita"].customer, outcome="won", stage="closed",
                amount=Decimal("321.00"), created_on=today, closed_on=today)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.deal_save(actor=world.rita, deal=deal, creating=True)
    assert Progress.objects.get(goal=goal, day=today).actual == before + Decimal("321.00")
