"""The arithmetic of a goal on its timeline, free of the database: where it
should be today (pace), where it will end (forecast, with an 80 % band), how
likely it is to reach its target, and the status that follows.

The forecast rests on the owner's own history: the week-by-week values of the
goal's metric over the twelve weeks up to the day. For a running total
(revenue, deals won) the remaining days add the owner's mean weekly increment,
with the spread of those increments (the sum of the remaining weeks has a
standard deviation of σ·√weeks). For a rate (win rate, CSAT) the end value is
the days already behind weighed against the remaining ones, which are expected
at the owner's recent mean rate, with the spread of a mean of that many weeks.
The probability is read off the normal distribution of the end value
(`statistics.NormalDist`). docs/goals.md says the same for users."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from math import fsum, sqrt
from statistics import NormalDist
from typing import NamedTuple

# Probability thresholds of the status: on track from 60 %, at risk from 30 %.
ON_TRACK, AT_RISK = 0.6, 0.3
# With no history to forecast from, within 10 % of pace is "at risk".
PACE_TOLERANCE = Decimal("0.9")
BAND_Z = 1.2816  # the 10th and 90th percentiles of a normal distribution
STANDARD = NormalDist()
LOOKBACK_WEEKS = 12


class Plan(NamedTuple):
    """What a goal asks: a target between two dates, milestones on the way.
    (Named tuples, here and below: the daily job makes 200,000 of each, and a
    frozen dataclass costs several times more to create.)"""

    start: date
    end: date
    target: Decimal
    cumulative: bool
    higher_is_better: bool
    milestones: Sequence[tuple[date, Decimal]] = ()

    def meets(self, value: Decimal | float | None, target: Decimal | None = None) -> bool:
        if value is None:
            return False
        goal = self.target if target is None else target
        # Decimal and float compare by exact value: no conversion needed.
        return value >= goal if self.higher_is_better else value <= goal


class Outlook(NamedTuple):
    """A goal's figures at the end of a day. The forecast and its band are
    floats rounded to cents: the daily job makes 200,000 of them, and the
    database column keeps them as decimals."""

    actual: Decimal | None
    expected: Decimal | None
    forecast: float | None
    low: float | None
    high: float | None
    probability: float | None
    status: str


def expected_on(plan: Plan, day: date) -> Decimal:
    """Pace: a running total climbs in straight lines from zero through each
    milestone to the target; a rate should already be at the next milestone's
    target (or the goal's own)."""
    day = min(max(day, plan.start - timedelta(days=1)), plan.end)
    if not plan.milestones:  # the common case, without building a path
        if not plan.cumulative:
            return plan.target
        span = (plan.end - plan.start).days + 1
        return plan.target * ((day - plan.start).days + 1) / span
    points = sorted(m for m in plan.milestones if plan.start <= m[0] <= plan.end)
    if not plan.cumulative:
        upcoming = [t for d, t in points if d >= day]
        return upcoming[0] if upcoming else plan.target
    path = [(plan.start - timedelta(days=1), Decimal(0)), *points, (plan.end, plan.target)]
    for (d0, v0), (d1, v1) in zip(path, path[1:], strict=False):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            share = Decimal((day - d0).days) / span if span else Decimal(1)
            return v0 + (v1 - v0) * share
    return plan.target


class History(NamedTuple):
    """The owner's weekly values summed up: how many weeks had a value, their
    mean and their (sample) standard deviation. Computed once per owner and
    metric, shared by every goal of theirs on that metric."""

    weeks: int
    mean: float | None
    sigma: float

    @classmethod
    def of(cls, weekly: Sequence[float | None]) -> History:
        known = [v for v in weekly if v is not None]
        if not known:
            return cls(0, None, 0.0)
        mean = fsum(known) / len(known)
        if len(known) < 2:
            return cls(1, mean, 0.0)
        variance = fsum((v - mean) ** 2 for v in known) / (len(known) - 1)
        return cls(len(known), mean, sqrt(variance))


def project(plan: Plan, day: date, actual: Decimal | None,
            weekly: Sequence[float | None] | History) -> tuple[float | None, float]:  # fmt: skip
    """The end value's mean and standard deviation. `weekly` is the owner's
    metric week by week (None where a rate had nothing to divide)."""
    remaining = max((plan.end - day).days, 0)
    weeks_left = remaining / 7
    seen = weekly if isinstance(weekly, History) else History.of(weekly)
    mean, sigma = seen.mean, seen.sigma
    if plan.cumulative:
        base = float(actual or 0)
        if mean is None:
            return round(base, 2), 0.0
        return round(base + mean * weeks_left, 2), sigma * sqrt(weeks_left)
    if mean is None:
        return None if actual is None else float(actual), 0.0
    elapsed = max((day - plan.start).days + 1, 0)
    share_done = elapsed / (elapsed + remaining) if elapsed + remaining else 1.0
    done = float(actual) if actual is not None else mean
    value = share_done * done + (1 - share_done) * mean
    spread = (1 - share_done) * sigma / sqrt(max(weeks_left, 1.0))
    return round(value, 2), spread


def _probability(plan: Plan, mean: float, sigma: float) -> float:
    if sigma <= 0:
        return 1.0 if plan.meets(mean) else 0.0
    below = STANDARD.cdf((float(plan.target) - mean) / sigma)  # chance of ending under the target
    return 1 - below if plan.higher_is_better else below


def outlook(plan: Plan, day: date, actual: Decimal | None,
            weekly: Sequence[float | None] | History,
            expected: Decimal | None = None) -> Outlook:  # fmt: skip
    """Pace, forecast, probability and status of a goal at the end of `day`.
    `expected` is the pace on that day when the caller already has it (goals
    with the same plan share it)."""
    weekly = weekly if isinstance(weekly, History) else History.of(weekly)
    if expected is None:
        expected = expected_on(plan, day)
    if day >= plan.end:
        status = "achieved" if plan.meets(actual) else "missed"
        final = None if actual is None else float(actual)
        return Outlook(actual, plan.target, final, final, final, None, status)
    if plan.cumulative and actual is not None:
        if plan.higher_is_better and actual >= plan.target:
            reached = float(actual)
            return Outlook(actual, expected, reached, reached, reached, 1.0, "achieved")
        if not plan.higher_is_better and actual > plan.target:
            over = float(actual)
            return Outlook(actual, expected, over, over, over, 0.0, "missed")
    mean, sigma = project(plan, day, actual, weekly)
    if mean is None:
        return Outlook(actual, expected, None, None, None, None, "")
    if weekly.weeks < 2:
        return Outlook(actual, expected, mean, mean, mean, None, _by_pace(plan, actual, expected))
    probability = _probability(plan, mean, sigma)
    band = BAND_Z * sigma
    status = "on_track" if probability >= ON_TRACK else (
        "at_risk" if probability >= AT_RISK else "off_track")  # fmt: skip
    low, high = round(mean - band, 2), round(mean + band, 2)
    return Outlook(actual, expected, mean, low, high, probability, status)


def _by_pace(plan: Plan, actual: Decimal | None, expected: Decimal) -> str:
    if actual is None:
        return ""
    if plan.meets(actual, expected):
        return "on_track"
    near = expected * PACE_TOLERANCE if plan.higher_is_better else expected / PACE_TOLERANCE
    return "at_risk" if plan.meets(actual, near) else "off_track"
