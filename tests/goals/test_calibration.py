"""How far goal probabilities can be trusted: the reliability table and Brier
score by hand, a small replay of simulated sellers (a loose bound; the full
benchmark is bench/goals_calibration.py), the backtest command on an
organisation's own rollups, and the words the status comes with."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rumbo.goals.backtest import Ledger, periods, replay
from rumbo.goals.calibration import reliability
from rumbo.goals.models import Progress
from rumbo.goals.progress import goals_recompute
from rumbo.goals.words import sentence
from rumbo.metrics.services import metrics_rebuild
from tests.goals.conftest import D, make_goal, won

COMPONENTS = ("won_amount", "deals_won", "deals_lost", "csat_responses", "csat_positive")


def test_reliability_table_and_brier_by_hand() -> None:
    pairs = [(0.05, False)] * 9 + [(0.05, True)] + [(0.85, True)] * 8 + [(0.85, False)] * 2
    found = reliability(pairs)
    low, high = found.bins
    assert (low.count, low.observed, high.count, high.observed) == (10, 0.1, 10, 0.8)
    brier = (9 * 0.05**2 + 0.95**2 + 8 * 0.15**2 + 2 * 0.85**2) / 20
    assert found.brier == pytest.approx(brier)
    assert found.base_rate == 0.45 and found.brier_base == pytest.approx(0.45 * 0.55)
    assert found.skill == pytest.approx(1 - brier / (0.45 * 0.55)) and found.within


def _seller(rng: random.Random, first: dt.date, days: int) -> Ledger:
    """Poisson deals whose weekly rate wanders (a gamma shock per week) and
    lognormal amounts: not the forecaster's own model."""
    ledger = Ledger(first, COMPONENTS)
    rate, shock = rng.gammavariate(3.0, 0.5), 1.0
    for n in range(days):
        if n % 7 == 0:
            shock = rng.gammavariate(3.0, 1 / 3)
        today = dict.fromkeys(COMPONENTS, 0.0)
        expected, count, p = rate * shock / 7, 0, rng.random()
        while p > math.exp(-expected):
            count, p = count + 1, p * rng.random()
        for _ in range(count):
            if rng.random() < 0.4:
                today["deals_won"] += 1
                today["won_amount"] += round(rng.lognormvariate(7.5, 0.8), 2)
            else:
                today["deals_lost"] += 1
        ledger.add_day(today if count else None)
    return ledger


@pytest.mark.django_db
def test_a_small_replay_is_roughly_calibrated() -> None:
    """A few hundred simulated goals: better than the base rate, and no bin of
    50 or more forecasts off by more than 15 points (the benchmark holds the
    full bounds on many more)."""
    rng, first, days = random.Random(7), D(2024, 1, 1), 400
    ledgers = [_seller(rng, first, days) for _ in range(25)]
    spans = [s for s in periods(first, first + dt.timedelta(days=days - 1)) if s[0] == "month"]
    pairs = replay(ledgers, spans, seed=3, metrics=("revenue", "deals_won", "win_rate"))
    every = [pair for found in pairs.values() for pair in found]
    assert len(every) > 300
    result = reliability(every)
    assert result.skill > 0.1
    assert all(abs(b.observed - b.predicted) < 0.15 for b in result.bins if b.count >= 50)


@pytest.mark.django_db
def test_backtest_command_prints_the_table(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    with pytest.raises(CommandError, match="six months"):  # sales since November only
        call_command("goals", "backtest", "--org", world.acme.slug, "--day", "2026-02-16")
    day = D(2025, 3, 3)
    while day < D(2025, 11, 1):
        if day.weekday() in (0, 3):
            won(world, "rita", day, "120.00" if day.day % 3 else "80.00")
            won(world, "nina", day, "60.00")
        day += dt.timedelta(days=1)
    metrics_rebuild(organization=world.acme)
    out = StringIO()
    call_command("goals", "backtest", "--org", world.acme.slug, "--day", "2026-02-16", stdout=out)
    text = out.getvalue()
    assert "acme: 3 sellers" in text and "| predicted | mean predicted | observed | n |" in text


@pytest.mark.django_db
def test_the_sentence_explains_the_status_with_the_forecast(sales) -> None:  # type: ignore[no-untyped-def]
    """The status comes with the chance it follows from, and the words say
    "forecast" for the forecast and "pace" for pace (issue 16: "at this pace"
    labelled a forecast)."""
    world = sales
    goal = make_goal(world, "alice", member=world.rita, target=Decimal(3000))
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    row = Progress.objects.get(goal=goal, day=D(2026, 2, 10))
    assert row.probability is not None and 0.01 < row.probability < 0.99
    text = sentence(goal, row, yours=True, today=D(2026, 2, 10))
    chance = f"{round(float(row.probability) * 100)} % chance of reaching the target"
    assert text.startswith(chance) and "forecast" in text and "pace is" in text
    assert "At this pace" not in text


@pytest.mark.django_db
def test_the_goal_list_shows_each_status_with_its_chance(sales) -> None:  # type: ignore[no-untyped-def]
    """Side by side, a goal further along can be off track and one behind on
    track: the list says the chance each status follows from."""
    from django.urls import reverse

    world = sales
    easy = make_goal(world, "alice", member=world.rita, target=Decimal(2000))
    hard = make_goal(world, "alice", member=world.rita, target=Decimal(6000))
    Progress.objects.filter(goal__in=[easy, hard], day__gt=D(2026, 2, 10)).delete()
    goals_recompute(organization=world.acme, day=D(2026, 2, 10))
    rows = {g.pk: Progress.objects.get(goal=g, day=D(2026, 2, 10)) for g in (easy, hard)}
    page = world.client("rita").get(reverse("goals:goal_list")).content.decode()
    for goal in (easy, hard):
        chance = max(1, min(99, round(float(rows[goal.pk].probability) * 100)))  # type: ignore[arg-type]
        assert f'data-status="{rows[goal.pk].status}"' in page
        assert f'data-testid="status-chance">{chance} %<' in page
    assert 'title="A 60 % chance or more of reaching the target' in page
