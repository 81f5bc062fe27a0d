"""The arithmetic of a goal's timeline: pace through milestones, forecast,
probability and status — the figures a rep reads on their goal — checked
against worked examples of the model docs/goals.md states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from math import exp, log, sqrt
from statistics import NormalDist

import pytest

from rumbo.goals import forecast
from rumbo.goals.forecast import History, Plan, Pool, expected_on, outlook, shape_of
from rumbo.metrics.registry import get_metric

D = dt.date
QUARTER = Plan(start=D(2026, 1, 1), end=D(2026, 3, 31), target=Decimal(9000), cumulative=True,
               higher_is_better=True)  # fmt: skip
FEB_10 = D(2026, 2, 10)  # 49 days, seven weeks, before 31 March


def test_pace_climbs_in_a_straight_line_to_the_target() -> None:
    assert expected_on(QUARTER, D(2025, 12, 31)) == 0
    assert expected_on(QUARTER, D(2026, 3, 31)) == 9000
    halfway = expected_on(QUARTER, D(2026, 2, 14))  # day 45 of 90
    assert halfway == Decimal(4500)


def test_pace_passes_through_each_milestone() -> None:
    plan = Plan(start=D(2026, 1, 1), end=D(2026, 3, 31), target=Decimal(9000), cumulative=True,
                higher_is_better=True, milestones=[(D(2026, 1, 31), Decimal(1000))])  # fmt: skip
    assert expected_on(plan, D(2026, 1, 31)) == 1000
    assert expected_on(plan, D(2026, 1, 16)) < 1000
    # After the slow first month the path is steeper: 8,000 over 59 days.
    assert expected_on(plan, D(2026, 3, 1)) == 1000 + Decimal(8000) * 29 / 59


def test_worked_example_of_a_running_total() -> None:
    """Twelve weeks alternating 800 and 1,200 (mean 1,000), 3,000 done, seven
    weeks left, a target of 9,000: the remainder has mean 7,000 and variance
    7·s² (the weeks) + 49·(s²/12 (the mean's own uncertainty) + drift·1,000²),
    read as lognormal; no empty week, so no chance of nothing at all. (Seven
    weeks are within the recent twelve: the level's walk does not lift the
    mean; tests/goals/test_season.py has a year goal where it does.)"""
    weekly = [800.0, 1200.0] * 6
    s2 = 200.0**2 * 12 / 11  # sample variance of the twelve weeks (each 200 off the mean)
    walk = forecast.DRIFT_WEEKLY**2 * 7
    drift = forecast.DRIFT**2 + walk
    variance = 7 * s2 + 49 * (s2 / 12 + drift * 1000.0**2)
    mean = 7000.0
    log_sd = sqrt(log(1 + variance / mean**2))
    centre = log(mean) - log_sd**2 / 2
    empty = (0.5 / 13) ** 7
    expected = (1 - empty) * (1 - NormalDist().cdf((log(6000.0) - centre) / log_sd))
    seen = outlook(QUARTER, FEB_10, Decimal(3000), weekly)
    assert seen.forecast == pytest.approx(10000.0, abs=0.01)
    assert seen.probability == pytest.approx(expected, abs=1e-9)
    assert seen.low == pytest.approx(3000 + exp(centre - 1.2816 * log_sd), abs=0.5)
    assert seen.status == ("on_track" if expected >= 0.6 else "at_risk")


def test_the_mean_of_few_weeks_is_less_sure_than_of_many() -> None:
    """The same weeks, two of them or twelve: the old spread (σ·√weeks left)
    was the same for both, as if two weeks told as much as twelve."""
    few = outlook(QUARTER, FEB_10, Decimal(3000), [800.0, 1200.0])
    many = outlook(QUARTER, FEB_10, Decimal(3000), [800.0, 1200.0] * 6)
    assert few.forecast == many.forecast
    assert (few.high - few.low) > (many.high - many.low)  # type: ignore[operator]
    assert few.probability < many.probability  # type: ignore[operator]


def test_skewed_weeks_give_a_skewed_band() -> None:
    """Revenue comes in lumps: the band reaches further above the forecast
    than below it (a normal band was symmetric and went below what is done)."""
    seen = outlook(QUARTER, FEB_10, Decimal(3000), [0.0, 0.0, 3000.0, 0.0, 1000.0, 2000.0] * 2)
    assert seen.low >= 3000  # type: ignore[operator]
    assert seen.high - seen.forecast > seen.forecast - seen.low  # type: ignore[operator]


def test_empty_weeks_leave_a_chance_of_nothing_more() -> None:
    """A seller with one sale in twelve weeks: nothing more by the end is
    likely, so even a target 100 away is far from sure."""
    lumpy = outlook(QUARTER, FEB_10, Decimal(8900), [0.0] * 11 + [12000.0])
    assert lumpy.probability is not None and lumpy.probability < 0.6


def test_weeks_before_a_new_hire_started_are_not_zeros() -> None:
    """Hired four weeks ago at about 600 a week: the eight weeks before are
    not weeks of zeros (the old mean was 200)."""
    seen = History.of([None] * 8 + [500.0, 700.0, 600.0, 600.0])
    assert (seen.weeks, seen.mean) == (4, 600.0)
    assert History.of([None, None, 0.0, 300.0]).weeks == 2  # a quiet week after starting counts


@pytest.mark.django_db
def test_a_rate_weighs_each_event_not_each_week() -> None:
    """One week with a single won deal, one with 4 won of 20: the win rate is
    5 of 21 (23.8 %), not the mean of 100 % and 20 %."""
    win_rate = get_metric("win_rate")
    assert win_rate is not None
    weeks = [{"deals_won": 1, "deals_lost": 0}, {"deals_won": 4, "deals_lost": 16}]
    seen = History.of(weeks, shape_of(win_rate))
    assert seen.mean == pytest.approx(100 * 5 / 21)
    assert seen.events == 21


@pytest.mark.django_db
def test_rate_forecast_weighs_the_events_so_far_with_those_to_come() -> None:
    """Twelve weeks of 2 closed deals, one won (50 %): seven weeks bring 14
    more at 50 %; 6 of 10 won so far (60 %) end at (600 + 700) ÷ 24 = 54.2 %."""
    win_rate = get_metric("win_rate")
    assert win_rate is not None
    plan = Plan(D(2026, 1, 1), D(2026, 3, 31), Decimal(50), False, True)
    seen_weeks = History.of([{"deals_won": 1, "deals_lost": 1}] * 12, shape_of(win_rate))
    seen = outlook(plan, FEB_10, Decimal(60), seen_weeks, None, (600.0, 10.0))
    assert seen.forecast == pytest.approx(1300 / 24, abs=0.01)


def _ten_peers() -> Pool:
    peers = [History.of([float(m), float(m) * 1.5, 0.0, float(m) * 1.5] * 3) for m in
             (400, 500, 600, 700, 800, 900, 1000, 1100)]  # fmt: skip
    pool = Pool.of(peers, cumulative=True)
    assert pool is not None
    return pool


def test_a_new_hire_is_pooled_with_their_peers() -> None:
    """One week of 5,000 (peers sell about 650 a week): alone, the forecast
    adds 5,000 a week; pooled, it sits between the two and the chance of a
    9,000 quarter is not a near certainty."""
    pool = _ten_peers()
    alone = outlook(QUARTER, FEB_10, Decimal(3000), History.of([5000.0, 5000.0]))
    pooled = outlook(QUARTER, FEB_10, Decimal(3000), History.of([5000.0]), None, None, pool)
    assert alone.forecast == 3000 + 7 * 5000
    assert pooled.forecast is not None and 3000 + 7 * 650 < pooled.forecast < 3000 + 7 * 5000
    assert pooled.probability is not None and 0.05 < pooled.probability < 0.95


def test_probability_falls_as_the_target_rises_and_rises_with_what_is_done() -> None:
    weekly = [0.0, 1400.0, 200.0, 1200.0, 300.0, 1100.0] * 2
    chances = [outlook(QUARTER._replace(target=Decimal(t)), FEB_10, Decimal(3000),
                       weekly).probability for t in range(6000, 16000, 500)]  # fmt: skip
    assert all(a >= b for a, b in zip(chances, chances[1:], strict=False))  # type: ignore[operator]
    done = [outlook(QUARTER, FEB_10, Decimal(d), weekly).probability for d in range(0, 9000, 500)]
    assert all(a <= b for a, b in zip(done, done[1:], strict=False))  # type: ignore[operator]


def test_status_follows_the_probability_with_written_thresholds() -> None:
    assert [forecast.status_of(p) for p in (0.6, 0.59, 0.3, 0.29)] == [
        "on_track", "at_risk", "at_risk", "off_track"]  # fmt: skip


def test_running_total_past_the_target_is_achieved_early() -> None:
    seen = outlook(QUARTER, D(2026, 3, 1), Decimal(9100), [0.0] * 12)
    assert seen.status == "achieved"


def test_after_the_end_the_goal_is_achieved_or_missed() -> None:
    assert outlook(QUARTER, D(2026, 3, 31), Decimal(8999), []).status == "missed"
    assert outlook(QUARTER, D(2026, 3, 31), Decimal(9000), []).status == "achieved"


def test_without_history_the_status_follows_pace() -> None:
    ahead = outlook(QUARTER, D(2026, 2, 14), Decimal(4600), [None, None])
    near = outlook(QUARTER, D(2026, 2, 14), Decimal(4200), [])
    far = outlook(QUARTER, D(2026, 2, 14), Decimal(1000), [])
    assert (ahead.status, near.status, far.status) == ("on_track", "at_risk", "off_track")
    assert ahead.probability is None


@pytest.mark.django_db
def test_any_history_gives_a_probability_between_0_and_1_and_an_ordered_band() -> None:
    """Property: whatever the weeks (empty, all zeros, lumpy, one week), the
    peers (selling nothing included) and the day, the forecast neither fails
    nor leaves [0, 1], and its band holds the forecast."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    deals = get_metric("deals_won")
    csat = get_metric("csat")
    assert deals is not None and csat is not None
    week = st.one_of(st.none(), st.floats(0, 50, allow_nan=False))
    answers = st.one_of(st.none(), st.fixed_dictionaries({
        "csat_responses": st.integers(0, 6), "csat_positive": st.integers(0, 6)}))  # fmt: skip

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(week, max_size=12), st.lists(st.lists(week, max_size=12), max_size=6),
           st.lists(answers, max_size=12), st.integers(0, 89), st.integers(0, 400),
           st.integers(1, 400), st.booleans())  # fmt: skip
    def check(weeks, peers, survey_weeks, elapsed, done, target, higher):  # type: ignore[no-untyped-def]
        day = D(2026, 1, 1) + dt.timedelta(days=elapsed)
        running = Plan(D(2026, 1, 1), D(2026, 3, 31), Decimal(target), True, higher)
        shape = shape_of(deals)
        pool = Pool.of([History.of([{"deals_won": w} if w is not None else None for w in p],
                                   shape) for p in peers], True)  # fmt: skip
        seen = History.of([{"deals_won": w} if w is not None else None for w in weeks], shape)
        out = outlook(running, day, Decimal(done), seen, None, None, pool)
        assert out.probability is None or 0 <= out.probability <= 1
        if out.forecast is not None and out.low is not None and out.high is not None:
            assert out.low <= out.forecast + 0.01 and out.forecast <= out.high + 0.01
        valid = [w for w in survey_weeks if w is None or w["csat_positive"] <= w["csat_responses"]]
        rate_plan = Plan(D(2026, 1, 1), D(2026, 3, 31), Decimal(min(target, 100)), False, higher)
        rated = History.of(valid, shape_of(csat))
        rate_pool = Pool.of([rated, rated, rated], False)
        out = outlook(rate_plan, day, Decimal(80), rated, None, (400.0, 5.0), rate_pool)
        assert out.probability is None or 0 <= out.probability <= 1

    check()
