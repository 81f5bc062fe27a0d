"""The arithmetic of a goal on its timeline, free of the database: where it
should be today (pace), where it will end (forecast, with an 80 % band), how
likely it is to reach its target, and the status that follows.

The forecast rests on the owner's own history — their metric's components
week by week over the twelve whole weeks before the day, from their first
recorded week on (weeks before a new hire's first sale are not zeros) — and
is a predictive distribution, not a plug-in (ADR 0014, docs/goals.md):

- a running total (revenue, deals won) adds the remaining weeks' amount, whose
  spread holds the weeks' own variation, the uncertainty of the owner's mean
  weekly amount (a mean of few weeks is itself uncertain) and the drift of
  that mean over time; a rep's mean is shrunk toward their peers' (partial
  pooling) as far as their own weeks are few or uneven. Weekly amounts are
  skewed and never negative, so the remaining amount is read as lognormal
  with that mean and variance;
- a rate (win rate, CSAT) is a ratio of sums: the remaining events (deals
  closed, responses) arrive at the owner's weekly flow, each event counts
  once whatever its week, and the owner's rate is shrunk toward the peers'
  rate by as many events as the peers' spread is worth (empirical Bayes);
  the end value is read as normal.

bench/goals_calibration.py and `rumbo goals backtest` measure how far the
probabilities can be trusted (docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from math import ceil, erf, exp, floor, log, sqrt
from statistics import NormalDist
from typing import NamedTuple

from rumbo.goals.forecast_history import History, Pool, Week
from rumbo.goals.forecast_history import Shape as Shape  # re-exported: one place to import from
from rumbo.goals.forecast_history import shape_of as shape_of
from rumbo.goals.season import Season

# Probability thresholds of the status: on track from 60 %, at risk from 30 %.
ON_TRACK, AT_RISK = 0.6, 0.3
# With no history to forecast from, within 10 % of pace is "at risk".
PACE_TOLERANCE = Decimal("0.9")
BAND_Z = 1.2816  # the 10th and 90th percentiles of a normal distribution
HALF_SQRT = 0.5**0.5  # Φ(z) = (1 + erf(z / √2)) / 2
STANDARD = NormalDist()
LOOKBACK_WEEKS = 12
# How far an owner's weekly mean moves between the trailing weeks and the rest
# of the goal (seasons, a pipeline filling or drying up): a share of the mean
# for a running total, a share of the peers' spread of rates for a rate. Set
# by the calibration benchmark and checked by the backtest on the demo.
DRIFT, DRIFT_WEEKLY = 0.25, 0.06  # relative spread of the mean: 0.25², plus 0.06² a week ahead
# A goal with more weeks left than LOOKBACK_WEEKS reads the owner's level over
# the shortest of these windows that is at least as long as what is left
# (weeks; from the monthly rollups: 6 or 12 whole months).
LONG_WINDOWS = ((26, 6), (52, 12))
RATE_DRIFT = 0.5
# A rep's weekly spread is steadied by this many weeks at the peers' spread
# (twelve weeks rarely hold the rare large deal that widens a week), and a
# rate's spread by this many events at the peers'.
PRIOR_WEEKS, PRIOR_EVENTS = 12.0, 3.0
# With at most this many events to come, a rate's forecast weighs each count.
MANY_EVENTS = 12


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


def long_months(day: date, end: date) -> int:
    """How many whole months before the month of `day` a goal's level is read
    over (LONG_WINDOWS); 0: the recent weeks are enough."""
    left = (end - day).days / 7
    if left <= LOOKBACK_WEEKS:
        return 0
    return next((months for weeks, months in LONG_WINDOWS if left <= weeks), LONG_WINDOWS[-1][1])


def _weekly(seen: History, pool: Pool | None) -> tuple[float, float, float]:
    """A running total's weekly mean, weekly variance and the variance of that
    mean. Pooled, the weeks are read as lumps (a week's variance grows with its
    mean, by the peers' variance-to-mean ratio) and the peers' means as a
    gamma prior: a rep with twelve empty weeks may still sell, at a rate
    their zeros make small but not nil."""
    n, mean, variance = seen.weeks, seen.mean or 0.0, seen.sigma**2
    if pool is None or pool.mean <= 0:  # no peers, or peers who sell nothing: no prior
        return mean, variance, variance / n
    lump = pool.spread
    shape, scale = pool.mean**2 / pool.between, pool.between / pool.mean
    rate = (shape * lump + n * mean) / (lump / scale + n)
    unsure = lump * (shape * lump + n * mean) / (lump / scale + n) ** 2
    read = seen.recent  # the weeks the spread was read over (fewer when lengthened)
    variance = ((read - 1) * variance + PRIOR_WEEKS * lump * rate) / (read - 1 + PRIOR_WEEKS)
    return rate, variance, unsure


def _running(plan: Plan, base: float, weeks_left: float, seen: History, pool: Pool | None,
             busier: float = 1.0) -> tuple[float, float, float, float | None]:  # fmt: skip
    """Mean, band and probability of a running total's end value: what is done
    plus the remainder — nothing at all with the chance that the remaining
    weeks stay as empty as the owner's empty weeks suggest, else lognormal,
    together with the predictive mean and variance. `busier`: how much busier
    the season of the remaining weeks is than that of the weeks read (more
    deals: the mean and a week's variance grow by it, the mean's own
    uncertainty by its square)."""
    rate, variance, unsure = _weekly(seen, pool)
    rate, variance, unsure = rate * busier, variance * busier, unsure * busier**2
    # The level wanders in proportion to itself (its logarithm walks), so the
    # walk leaves the median where it was read and lifts the mean: by
    # √(1 + the walk's relative variance), as a lognormal's mean over its median.
    # Measured to matter past the recent weeks only (ADR 0014): within them the
    # lift is under 2 % and the drift terms were set without it.
    walk = DRIFT_WEEKLY**2 * weeks_left
    lift = sqrt(1 + walk) if weeks_left > LOOKBACK_WEEKS else 1.0
    mean = rate * weeks_left * lift
    drift = (DRIFT**2 + walk) * rate**2
    spread = weeks_left * variance + weeks_left**2 * (unsure + drift)
    gap = float(plan.target) - base
    if seen.step and gap > 0:  # a count reaches 7 from 6.5 on: the whole unit that reaches
        gap = ceil(gap - 1e-9) - 0.5 if plan.higher_is_better else floor(gap + 1e-9) + 0.5
    if mean <= 0 or spread <= 0:  # nothing comes, or exactly the same every week
        final = base + max(mean, 0.0)
        return final, final, final, 1.0 if plan.meets(final) else 0.0
    none = min(seen.none_in(weeks_left), 0.95)
    some = mean / (1 - none)  # the remainder's mean and variance when something comes
    log_sd = sqrt(log(max((spread + mean**2) / (1 - none) / some**2, 1 + 1e-9)))
    centre = log(some) - log_sd**2 / 2

    def quantile(q: float, z: float) -> float:
        if q <= none:
            return base
        if none > 1e-4:  # else the plain lognormal's percentile (inv_cdf costs microseconds)
            z = STANDARD.inv_cdf((q - none) / (1 - none))
        return base + exp(centre + z * log_sd)

    under = 0.5 * (1 + erf((log(gap) - centre) / log_sd * HALF_SQRT)) if gap > 0 else 0.0
    # The chance of ending under the target (at it exactly, with nothing more to come).
    below = none + (1 - none) * under if gap > 0 else (none if gap == 0 else 0.0)
    low, high = quantile(0.1, -BAND_Z), quantile(0.9, BAND_Z)
    return base + mean, low, high, 1 - below if plan.higher_is_better else below


def _rate(plan: Plan, done: tuple[float, float], weeks_left: float, seen: History,
          pool: Pool | None, busier: float = 1.0) -> tuple[float, float, float] | None:  # fmt: skip
    """Mean, standard deviation and probability of a rate's end value: the
    events so far with their value, and the remaining events at the owner's
    flow, each worth the owner's pooled rate. When few events remain, their
    number is drawn too (negative binomial from the weekly flow): none at all
    leaves the value where it is, or undefined (the goal is missed)."""
    done_value, done_events = done
    flow = seen.events / seen.weeks * busier if seen.weeks else 0.0  # events come with the season
    future = flow * weeks_left
    total = done_events + future
    if total <= 0:
        return None
    if seen.mean is None and pool is None:
        value = done_value / done_events
        return value, 0.0, 1.0 if plan.meets(value) else 0.0
    events = seen.events
    if pool is None:
        variance, rate, drift = seen.sigma**2, seen.mean or 0.0, 0.0
        unsure = variance / events
    else:
        variance = (events * seen.sigma**2 + PRIOR_EVENTS * pool.spread) / (events + PRIOR_EVENTS)
        prior = variance / pool.between  # the peers' rate is worth this many events
        weight = events + prior
        rate = ((seen.mean or 0.0) * events + prior * pool.mean) / weight if weight else pool.mean
        unsure = variance / weight if weight else pool.between
        drift = RATE_DRIFT * pool.between
    events_var = (seen.events_sigma * busier) ** 2 * (
        weeks_left + weeks_left**2 / max(seen.weeks, 1)
    )

    def reaching(count: float) -> tuple[float, float, float]:
        end = done_events + count
        coming = rate * count  # the numerator the remaining events add
        spread = count * variance + count**2 * (unsure + drift)
        if done_events and count == future:  # how many come matters when the rates differ
            spread += (done_events * (rate - done_value / done_events)) ** 2 * events_var / end**2
        needed = float(plan.target) * end - done_value
        if seen.step:  # the numerator moves in steps (100 per won deal): the step that reaches
            steps = needed / seen.step
            edge = ceil(steps - 1e-9) - 0.5 if plan.higher_is_better else floor(steps + 1e-9) + 0.5
            needed = edge * seen.step
        mean, sd = (done_value + coming) / end, sqrt(spread)
        if sd <= 0:
            return mean, 0.0, 1.0 if plan.meets(mean) else 0.0
        below = STANDARD.cdf((needed - coming) / sd)
        return mean, sd / end, 1 - below if plan.higher_is_better else below

    mean, sd, probability = reaching(future)
    if future > MANY_EVENTS or future <= 0:
        return mean, sd, probability
    # Few events to come: weigh each count by its chance.
    size = future**2 / (events_var - future) if events_var > future * 1.01 else 0.0
    chance = (size / (size + future)) ** size if size else exp(-future)
    met = weights = 0.0
    target, step, higher = float(plan.target), seen.step, plan.higher_is_better
    each, shared = variance, unsure + drift
    for count in range(int(future + 4 * sqrt(max(events_var, future)) + 3)):
        if count and chance > 1e-3:  # counts that hardly happen are not worth a look
            # reaching(count), inlined: the daily job runs this loop for every
            # rate goal with few events to come.
            needed = target * (done_events + count) - done_value
            if step:
                steps = needed / step
                needed = (ceil(steps - 1e-9) - 0.5 if higher else floor(steps + 1e-9) + 0.5) * step
            z = (needed - rate * count) / sqrt(count * each + count * count * shared or 1e-300)
            below = 0.5 * (1 + erf(z * HALF_SQRT))
            met += chance * (1 - below if higher else below)
        elif not count and done_events:
            met += chance * plan.meets(done_value / done_events)
        weights += chance
        if count > future and chance < 1e-3:
            break  # the rest weighs nothing
        grow = (count + size) / (size + future) if size else 1.0
        chance *= future / (count + 1) * grow
    return mean, sd, met / weights


Projection = tuple[float | None, float, float, float | None]


def project(plan: Plan, day: date, actual: Decimal | None, seen: History,
            done: tuple[float, float] | None = None, pool: Pool | None = None,
            busier: float = 1.0) -> Projection:  # fmt: skip
    """The end value's forecast, its band and the probability of reaching the
    target (None: too little history to say). `busier`: the remaining weeks'
    season over that of the weeks read (Season.ratio)."""
    remaining = max((plan.end - day).days, 0)
    weeks_left = remaining / 7
    if plan.cumulative:
        base = float(actual or 0)
        if seen.mean is None or (seen.weeks < 2 and pool is None):
            return base, base, base, None  # the status follows pace
        return _running(plan, base, weeks_left, seen, pool, busier)
    if done is None:  # no components given: the days so far at the owner's flow
        elapsed = max((day - plan.start).days + 1, 0) / 7
        events = seen.events / seen.weeks * elapsed if seen.weeks else 0.0
        done = (float(actual) * events if actual is not None else 0.0, events)
    if seen.weeks < 2 and pool is None:
        return None if actual is None else float(actual), 0.0, 0.0, None
    found = _rate(plan, done, weeks_left, seen, pool, busier)
    if found is None:
        return None if actual is None else float(actual), 0.0, 0.0, None
    mean, sd, probability = found
    return mean, mean - BAND_Z * sd, mean + BAND_Z * sd, probability


def status_of(probability: float) -> str:
    if probability >= ON_TRACK:
        return "on_track"
    return "at_risk" if probability >= AT_RISK else "off_track"


def outlook(plan: Plan, day: date, actual: Decimal | None,
            weekly: Sequence[Week] | History, expected: Decimal | None = None,
            done: tuple[float, float] | None = None,
            pool: Pool | None = None, season: Season | None = None) -> Outlook:  # fmt: skip
    """Pace, forecast, probability and status of a goal at the end of `day`.
    `expected` is the pace on that day when the caller already has it (goals
    with the same plan share it); `done` a rate's (numerator, events) so far;
    `pool` what the owner's peers say (None: the owner's weeks alone);
    `season` the organisation's seasons (None: less than a year known)."""
    seen = weekly if isinstance(weekly, History) else History.of(weekly)
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
    busier = season.ratio(day, plan.end, seen.weeks) if season is not None else 1.0
    mean, low, high, probability = project(plan, day, actual, seen, done, pool, busier)
    if mean is None:
        return Outlook(actual, expected, None, None, None, None, "")
    mean = round(mean, 2)
    if probability is None:
        return Outlook(actual, expected, mean, mean, mean, None, _by_pace(plan, actual, expected))
    status = status_of(probability)
    # The band is the 10th to 90th percentile, widened to hold the forecast (the
    # mean): when nothing more is the likeliest outcome, the mean lies above it.
    low, high = round(min(low, mean), 2), round(max(high, mean), 2)
    return Outlook(actual, expected, mean, low, high, probability, status)


def _by_pace(plan: Plan, actual: Decimal | None, expected: Decimal) -> str:
    if actual is None:
        return ""
    if plan.meets(actual, expected):
        return "on_track"
    near = expected * PACE_TOLERANCE if plan.higher_is_better else expected / PACE_TOLERANCE
    return "at_risk" if plan.meets(actual, near) else "off_track"
