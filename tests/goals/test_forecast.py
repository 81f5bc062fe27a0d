"""The arithmetic of a goal's timeline: pace through milestones, forecast,
probability and status — the figures a rep reads on their goal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rumbo.goals.forecast import Plan, expected_on, outlook

D = dt.date
QUARTER = Plan(start=D(2026, 1, 1), end=D(2026, 3, 31), target=Decimal(9000), cumulative=True,
               higher_is_better=True)  # fmt: skip


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


def test_steady_seller_on_pace_is_on_track_with_a_high_probability() -> None:
    weekly = [770.0, 720.0, 790.0, 760.0, 780.0, 775.0] * 2  # about 765 a week; pace is 700
    seen = outlook(QUARTER, D(2026, 2, 14), Decimal(4500), weekly)
    assert seen.status == "on_track"
    assert seen.probability is not None and seen.probability > 0.9
    assert seen.forecast is not None and Decimal(9300) < seen.forecast < Decimal(9500)
    assert seen.low is not None and seen.high is not None and seen.low < seen.forecast < seen.high


def test_seller_far_behind_is_off_track() -> None:
    weekly = [300.0, 0.0, 400.0, 100.0] * 3
    seen = outlook(QUARTER, D(2026, 2, 14), Decimal(1500), weekly)
    assert seen.status == "off_track"
    assert seen.probability is not None and seen.probability < 0.05


def test_uneven_seller_near_the_line_is_at_risk() -> None:
    weekly = [0.0, 1400.0, 200.0, 1200.0, 300.0, 1100.0] * 2  # mean 700, wide spread
    seen = outlook(QUARTER, D(2026, 2, 14), Decimal(4300), weekly)
    assert seen.status == "at_risk"


def test_running_total_past_the_target_is_achieved_early() -> None:
    seen = outlook(QUARTER, D(2026, 3, 1), Decimal(9100), [0.0] * 12)
    assert seen.status == "achieved"


def test_after_the_end_the_goal_is_achieved_or_missed() -> None:
    assert outlook(QUARTER, D(2026, 3, 31), Decimal(8999), []).status == "missed"
    assert outlook(QUARTER, D(2026, 3, 31), Decimal(9000), []).status == "achieved"


def test_lower_is_better_goal_reads_the_other_way() -> None:
    plan = Plan(start=D(2026, 1, 1), end=D(2026, 3, 31), target=Decimal(5), cumulative=False,
                higher_is_better=False)  # fmt: skip
    good = outlook(plan, D(2026, 2, 14), Decimal(3), [3.0, 2.0, 4.0, 3.0] * 3)
    bad = outlook(plan, D(2026, 2, 14), Decimal(9), [9.0, 8.0, 10.0, 9.0] * 3)
    assert good.status == "on_track" and bad.status == "off_track"


def test_rate_forecast_blends_the_period_so_far_with_the_recent_mean() -> None:
    plan = Plan(start=D(2026, 1, 1), end=D(2026, 3, 31), target=Decimal(80), cumulative=False,
                higher_is_better=True)  # fmt: skip
    seen = outlook(plan, D(2026, 2, 14), Decimal(60), [90.0, 88.0, 92.0, 90.0] * 3)
    assert seen.forecast is not None and Decimal(60) < seen.forecast < Decimal(90)


def test_without_history_the_status_follows_pace() -> None:
    ahead = outlook(QUARTER, D(2026, 2, 14), Decimal(4600), [None, None])
    near = outlook(QUARTER, D(2026, 2, 14), Decimal(4200), [])
    far = outlook(QUARTER, D(2026, 2, 14), Decimal(1000), [])
    assert (ahead.status, near.status, far.status) == ("on_track", "at_risk", "off_track")
    assert ahead.probability is None
