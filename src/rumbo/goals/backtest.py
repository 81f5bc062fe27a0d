"""Replaying history to see how far goal probabilities can be trusted: for
each past month, quarter and year, every seller with records before it gets
the goals a manager could have set (their trailing pace made easier or
harder by a factor drawn at random; a rate a few points off their trailing
rate), forecast at week 2, halfway and three quarters of the way with only
the figures known by then, and the outcome read from what followed.

`rumbo goals backtest --org SLUG` replays an organisation's own rollups;
bench/goals_calibration.py replays simulated sellers through the same code."""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from rumbo.goals.forecast import (
    LOOKBACK_WEEKS,
    History,
    Plan,
    Pool,
    Shape,
    long_months,
    outlook,
    shape_of,
)
from rumbo.goals.season import YEARS, Season
from rumbo.metrics import registry

METRICS = ("revenue", "deals_won", "win_rate", "csat")
CHECKPOINTS = ("week 2", "halfway", "3/4")
KINDS = ("month", "quarter", "year")
TRAILING_DAYS = 91  # what a manager looks at when setting a goal: the last three months
FACTORS = (0.6, 1.6)  # targets from well within reach to a stretch
RATE_POINTS = (-12.0, 15.0)  # a rate's target: this many points off the trailing rate

Pairs = dict[tuple[str, str, str], list[tuple[float, bool]]]


class Ledger:
    """One seller's components by day as running totals from `first` (two
    look-ups give any period's totals), and the days that had a record."""

    def __init__(self, first: dt.date, components: Sequence[str]) -> None:
        self.first = first
        self.components = tuple(components)
        self.sums = {c: array("d", [0.0]) for c in components}
        self.recorded = array("l", [0])
        self.started: int | None = None

    def add_day(self, values: dict[str, float] | None) -> None:
        """The next day's totals (None: no record that day)."""
        if values is not None and self.started is None:
            self.started = len(self.recorded) - 1
        for c, sums in self.sums.items():
            sums.append(sums[-1] + (values.get(c, 0.0) if values else 0.0))
        self.recorded.append(self.recorded[-1] + (values is not None))

    def index(self, day: dt.date) -> int:
        return (day - self.first).days

    def totals(self, start: int, end: int) -> dict[str, float]:
        """Component totals over day indexes [start, end]."""
        last = len(self.recorded) - 2
        start, end = max(start, 0), min(end, last)
        if end < start:
            return dict.fromkeys(self.components, 0.0)
        return {c: s[end + 1] - s[start] for c, s in self.sums.items()}

    def weeks(self, day: int) -> list[dict[str, float] | None]:
        """The whole weeks before the one holding `day`, as the daily job reads
        them from the rollups (None: a week without a single record)."""
        monday = day - (self.first + dt.timedelta(days=day)).weekday()
        found: list[dict[str, float] | None] = []
        for k in range(LOOKBACK_WEEKS, 0, -1):
            first = max(monday - 7 * k, 0)
            last = monday - 7 * k + 6
            seen = last >= 0 and self.recorded[last + 1] > self.recorded[first]
            found.append(self.totals(first, last) if seen else None)
        return found

    def months(self, day: int) -> tuple[dt.date, list[dict[str, float] | None], bool]:
        """The whole months before the one holding `day` (at most the years a
        season reads), as the daily job reads them from the monthly rollups:
        the first month, each month's totals (None: no record that month) and
        whether the seller has a record in the month before the first."""
        today = self.first + dt.timedelta(days=day)
        found: list[dict[str, float] | None] = []
        year, month = today.year, today.month
        first = dt.date(year - YEARS, month, 1)
        cursor = first
        while cursor < dt.date(year, month, 1):
            following = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
            start, end = self.index(cursor), self.index(following) - 1
            seen = start >= 0 and self.recorded[end + 1] > self.recorded[start]
            found.append(self.totals(start, end) if seen else None)
            cursor = following
        before = max(self.index(_plus(first, -1)), 0)
        earlier = self.index(first) > 0 and self.recorded[self.index(first)] > self.recorded[before]
        return first, found, earlier


def periods(first: dt.date, last: dt.date,
            history_days: int = 182) -> list[tuple[str, dt.date, dt.date]]:  # fmt: skip
    """Every month, quarter and year ending by `last` with `history_days` of
    figures before its start."""
    found = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        candidates = [("month", month, following - dt.timedelta(days=1))]
        if month.month % 3 == 1:
            after = dt.date(month.year + (month.month + 2) // 12, (month.month + 2) % 12 + 1, 1)
            candidates.append(("quarter", month, after - dt.timedelta(days=1)))
        if month.month == 1:
            candidates.append(("year", month, dt.date(month.year, 12, 31)))
        for kind, start, end in candidates:
            if (start - first).days >= history_days and end <= last:
                found.append((kind, start, end))
        month = following
    return found


def _target(shape: Shape, trailing: float, days: int, length: int, rng: random.Random,
            count: bool) -> float:  # fmt: skip
    if shape.cumulative:
        target = trailing / days * length * rng.uniform(*FACTORS)
        return max(1.0, round(target, 0 if count else 2))
    return min(100.0, max(5.0, round(trailing + rng.uniform(*RATE_POINTS))))


def replay(ledgers: Sequence[Ledger], spans: Iterable[tuple[str, dt.date, dt.date]],
           seed: int, metrics: Sequence[str] = METRICS) -> Pairs:  # fmt: skip
    """(kind, checkpoint, metric) -> (probability, met) of every replayed forecast.
    The ledgers are one organisation: each seller's peers are the others."""
    rng = random.Random(seed)
    shapes: dict[str, Shape] = {}
    counts: set[str] = set()
    for key in metrics:
        metric = registry.get_metric(key)
        if metric is not None:
            shapes[key] = shape_of(metric)
            if metric.unit == "count":
                counts.add(key)
    seen_on: dict[int, dict[str, tuple[list[History], Pool | None]]] = {}
    months_on: dict[tuple[int, int], list[tuple[dt.date, list[dict[str, float] | None], bool]]]
    months_on = {}
    seasons_on: dict[tuple[int, int], dict[str, Season | None]] = {}

    def months(day: int) -> list[tuple[dt.date, list[dict[str, float] | None], bool]]:
        today = first + dt.timedelta(days=day)
        if (today.year, today.month) not in months_on:
            months_on[(today.year, today.month)] = [ledger.months(day) for ledger in ledgers]
        return months_on[(today.year, today.month)]

    def seasons(day: int) -> dict[str, Season | None]:
        today = first + dt.timedelta(days=day)
        if (today.year, today.month) not in seasons_on:
            read = months(day)
            since = read[0][0]
            seasons_on[(today.year, today.month)] = {
                key: Season.of((([None if m is None else shape.flow(m) for m in months], earlier)
                                for _f, months, earlier in read), since)
                for key, shape in shapes.items()
            }  # fmt: skip
        return seasons_on[(today.year, today.month)]

    def histories(day: int) -> dict[str, tuple[list[History], Pool | None]]:
        if day not in seen_on:
            weeks = [ledger.weeks(day) for ledger in ledgers]
            seen_on[day] = {}
            for key, shape in shapes.items():
                found = [History.of(w, shape) for w in weeks]
                seen_on[day][key] = (found, Pool.of(found, shape.cumulative))
        return seen_on[day]

    pairs: Pairs = defaultdict(list)
    if not ledgers:
        return pairs
    first = ledgers[0].first
    for kind, start_day, end_day in spans:
        start, end = (start_day - first).days, (end_day - first).days
        length = end - start + 1
        points = dict(zip(CHECKPOINTS, (start + 13, start + length // 2,
                                        start + length * 3 // 4), strict=True))  # fmt: skip
        for i, ledger in enumerate(ledgers):
            if ledger.started is None or ledger.started >= start:
                continue
            since = max(start - TRAILING_DAYS, ledger.started)
            trailing, final = ledger.totals(since, start - 1), ledger.totals(start, end)
            for key, shape in shapes.items():
                before = _value(shape, trailing)
                if not before:  # nothing lately: no manager sets that goal
                    continue
                target = _target(shape, before, start - since, length, rng, key in counts)
                reached = _value(shape, final)
                met = reached is not None and reached >= target
                plan = Plan(start_day, end_day, Decimal(str(target)), shape.cumulative, True)
                for point, day in points.items():
                    so_far = ledger.totals(start, day)
                    now = _value(shape, so_far)
                    found, pool = histories(day)[key]
                    seen = found[i]
                    today = first + dt.timedelta(days=day)
                    count = long_months(today, end_day)
                    if count:
                        month0, read, _earlier = months(day)[i]
                        seen = seen.over_months(shape, _plus(month0, len(read) - count),
                                                read[-count:])  # fmt: skip
                    actual = None if now is None else Decimal(str(round(now, 2)))
                    told = outlook(plan, today, actual, seen, None, shape.split(so_far), pool,
                                   seasons(day)[key])  # fmt: skip
                    if told.probability is None or told.status == "achieved":
                        continue  # no chance to judge, or nothing left to forecast
                    pairs[(kind, point, key)].append((told.probability, met))
    return pairs


def tables(pairs: Pairs, by_metric: bool = False) -> tuple[list[str], bool]:
    """The reliability tables of a replay, per period kind and checkpoint (and
    per period kind and metric): text lines, and whether all are within bounds."""
    from rumbo.goals.calibration import reliability, table

    grouped: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    lines, within = [], True
    for (kind, point, key), found in pairs.items():
        grouped[f"{kind}, {point}"].extend(found)
        if by_metric:
            grouped[f"{kind}, {key} (all checkpoints)"].extend(found)
    order = [f"{k}, {p}" for k in KINDS for p in CHECKPOINTS]
    order += sorted(t for t in grouped if t not in order)
    for title in order:
        if title in grouped:
            result = reliability(grouped[title])
            within = within and (result.within or title not in order[:9])
            lines += [*table(title, result), ""]
    return lines, within


def _plus(month: dt.date, count: int) -> dt.date:
    year, index = divmod(month.month - 1 + count, 12)
    return dt.date(month.year + year, index + 1, 1)


def _value(shape: Shape, totals: dict[str, float]) -> float | None:
    y, events = shape.split(totals)
    return y if shape.cumulative else (y / events if events else None)


def organization_ledgers(organization_id: int, first: dt.date, last: dt.date,
                         metrics: Sequence[str] = METRICS, sellers: int | None = None,
                         seed: int = 0) -> list[Ledger]:  # fmt: skip
    """Each member's ledger from the organisation's daily rollups (two
    queries). `sellers`: at most this many, drawn at random (with `seed`)
    among those with records — a few hundred tell how far to trust the
    forecast, and 10,000 sellers' two years would not fit in memory."""
    from rumbo.metrics.models import RollupDay

    components = sorted({c for k in metrics if (m := registry.get_metric(k)) for c in m.components})
    days = RollupDay.objects.filter(organization_id=organization_id, day__gte=first, day__lte=last)
    if sellers is not None:
        everyone = sorted(set(days.values_list("member_id", flat=True).distinct()))
        if len(everyone) > sellers:
            days = days.filter(member_id__in=random.Random(seed).sample(everyone, sellers))
    rows = days.order_by("member_id", "day").values_list("member_id", "day", *components)
    by_member: dict[int, dict[dt.date, dict[str, float]]] = defaultdict(dict)
    for member_id, day, *values in rows.iterator(chunk_size=5000):
        by_member[member_id][day] = {c: float(v or 0) for c, v in zip(components, values,
                                                                      strict=True)}  # fmt: skip
    ledgers = []
    for recorded in by_member.values():
        ledger = Ledger(first, components)
        day = first
        while day <= last:
            ledger.add_day(recorded.get(day))
            day += dt.timedelta(days=1)
        ledgers.append(ledger)
    return ledgers
