"""The organisation's seasons and the longer window of a goal with many weeks
left (ADR 0014): worked examples of the factors, their shrinkage, the ratio a
forecast is scaled by, and what a year goal reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from math import sqrt

import pytest

from rumbo.goals import forecast
from rumbo.goals.forecast import History, Plan, long_months, outlook
from rumbo.goals.forecast_history import RUNNING
from rumbo.goals.season import Season

D = dt.date
DAYS_2024 = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# 30 a day in every month but December, 15 a day in December.
BUSY, QUIET = 30 / 28.75, 15 / 28.75  # each over the year's mean daily amount, (11·30 + 15) / 12


def _months(daily: list[float]) -> list[float | None]:
    return [d * n for d, n in zip(daily, DAYS_2024, strict=True)]


def test_a_quiet_december_read_from_sellers_who_agree() -> None:
    """Three sellers of different sizes, each with December at half their usual
    daily amount and a record before the year: the factors are each month's
    daily amount over the year's mean, with nothing to shrink (they agree)."""
    sellers = [(_months([size] * 11 + [size / 2]), True) for size in (30.0, 60.0, 90.0)]
    season = Season.of(sellers, D(2024, 1, 1))
    assert season is not None
    assert season.factors[0] == pytest.approx(BUSY) and season.factors[11] == pytest.approx(QUIET)


def test_a_sellers_first_year_is_a_ramp_not_a_season() -> None:
    sellers = [(_months([size] * 11 + [size / 2]), False) for size in (30.0, 60.0, 90.0)]
    assert Season.of(sellers, D(2024, 1, 1)) is None
    # A year with a gap (a month without a record) does not count either.
    gappy: list[tuple[list[float | None], bool]] = [
        ([None, *_months([30.0] * 12)[1:]], True) for _ in range(3)
    ]
    assert Season.of(gappy, D(2024, 1, 1)) is None


def test_sellers_who_disagree_give_factors_nearer_one() -> None:
    """Each seller's busy month is a different one: the mean of their ratios
    shows a season the scatter between them does not support, so the factors
    are pulled toward 1 (or there is no season at all)."""
    sellers = []
    for busy in range(6):
        daily = [30.0] * 12
        daily[busy] = 90.0
        sellers.append((_months(daily), True))
    season = Season.of(sellers, D(2024, 1, 1))
    raw_january = (90 / 35 + 5 * 30 / 35) / 6  # each seller's mean daily amount is 35
    assert season is None or 1 <= season.factors[0] < raw_january


def test_the_ratio_of_the_rest_of_the_year_to_the_weeks_read() -> None:
    """On Tuesday 14 January 2025, the twelve weeks read run from 21 October to
    12 January (53 busy days, 31 of December), the rest of the year from 15
    January to 31 December (320 busy days, 31 of December)."""
    season = Season((BUSY,) * 11 + (QUIET,))
    before = (53 * BUSY + 31 * QUIET) / 84
    after = (320 * BUSY + 31 * QUIET) / 351
    assert season.ratio(D(2025, 1, 14), D(2025, 12, 31), 12) == pytest.approx(after / before)
    assert after / before == pytest.approx(1.1721, abs=1e-4)


def test_a_year_forecast_carries_the_season_forward() -> None:
    """1,000 a week over twelve weeks that held a quiet December: the rest of
    the year is 1.1721 times busier, and the level's walk over 50 1/7 weeks
    lifts the mean by √(1 + 0.06²·50.14)."""
    plan = Plan(D(2025, 1, 1), D(2025, 12, 31), Decimal(60000), True, True)
    season = Season((BUSY,) * 11 + (QUIET,))
    weeks_left = 351 / 7
    lift = sqrt(1 + forecast.DRIFT_WEEKLY**2 * weeks_left)
    plain = outlook(plan, D(2025, 1, 14), Decimal(2000), [1000.0] * 12)
    seasonal = outlook(plan, D(2025, 1, 14), Decimal(2000), [1000.0] * 12, season=season)
    assert plain.forecast == pytest.approx(2000 + 1000 * weeks_left * lift, abs=0.01)
    assert seasonal.forecast == pytest.approx(2000 + 1000 * weeks_left * lift * 1.17211, abs=5)
    assert seasonal.probability is not None and plain.probability is not None
    assert seasonal.probability > plain.probability


def test_a_goal_with_many_weeks_left_reads_the_owners_usual_level() -> None:
    """Twelve lucky weeks of 1,000 against a year of 26,000 (500 a week): a
    year goal reads the owner's level over the year, the spread of a week from
    the recent weeks."""
    recent = History.of([800.0, 1200.0] * 6)
    longer = recent.lengthened(52, (26000.0, 0.0), cumulative=True)
    assert (longer.weeks, longer.mean, longer.sigma) == (52, 500.0, recent.sigma)
    assert longer.recent == 12
    # Over whole months: 2024's twelve months of 2,000 (366 days: 52 2/7 weeks).
    months = [{"value": 2000.0}] * 12
    read = recent.over_months(RUNNING, D(2024, 1, 1), months)
    assert read.mean == pytest.approx(24000 / (366 / 7))
    # Which window a goal reads: the recent weeks up to twelve weeks left, six
    # months up to 26, else twelve.
    assert long_months(D(2025, 3, 1), D(2025, 3, 31)) == 0
    assert long_months(D(2025, 7, 3), D(2025, 12, 31)) == 6  # 25 6/7 weeks left
    assert long_months(D(2025, 7, 1), D(2025, 12, 31)) == 12  # 26 1/7 weeks left
    assert long_months(D(2025, 1, 14), D(2025, 12, 31)) == 12


@pytest.mark.django_db
def test_the_daily_job_reads_a_year_goals_level_over_whole_months(sales) -> None:  # type: ignore[no-untyped-def]
    """Rita sells 100 each Monday and Thursday from November 2025: a year goal
    on 10 February 2026 (324 days left) reads her level over the whole months
    since her first (November to January: 26 sales over 92 days, 197.83 a
    week), not the twelve recent weeks (200 a week); no year of history, so
    no season. So far 12 sales."""
    from rumbo.goals.models import Progress
    from rumbo.goals.progress import goals_recompute
    from tests.goals.conftest import make_goal

    goal = make_goal(sales, "alice", member=sales.rita, start=D(2026, 1, 1), end=D(2026, 12, 31),
                     target=Decimal(30000))  # fmt: skip
    goals_recompute(organization=sales.acme, day=D(2026, 2, 10))
    row = Progress.objects.get(goal=goal, day=D(2026, 2, 10))
    weekly, weeks_left = 2600 / (92 / 7), 324 / 7
    lift = sqrt(1 + forecast.DRIFT_WEEKLY**2 * weeks_left)
    assert row.actual == 1200
    assert float(row.forecast or 0) == pytest.approx(1200 + weekly * weeks_left * lift, abs=0.01)
