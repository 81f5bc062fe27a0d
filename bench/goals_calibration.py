"""Are goal probabilities calibrated? Simulated reps sell for three years;
goals a manager would set (some easy, some hard) run over months, quarters
and years; the forecaster of `rumbo.goals.forecast` (the same code the daily
job runs) gives each goal a probability at week 2, halfway and three
quarters of the way; the simulation says whether it was met.

    .venv/bin/python bench/goals_calibration.py [--reps 1500] [--seed 16]

The simulation is NOT the forecaster's model (that would make calibration
circular): deals arrive as Poisson counts whose rate moves with the season
(quiet December and summer, a push at each quarter's end), a gamma shock per
week (some weeks are much busier), and a rep-level random walk; new hires
ramp up over three months; amounts are a mixture of two lognormals (many
small deals, a few large ones); win rates and satisfaction drift slowly and
surveys answer about one won deal in three. The forecaster sees only what
the rollups give it: each rep's weeks and the period so far.

Prints a reliability table per period and checkpoint (bins of predicted
probability: mean prediction, observed rate, count) and the Brier score with
its skill against the base rate; the bounds of issue 16 are marked."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import time
from array import array
from collections import defaultdict
from decimal import Decimal

import django

FIRST = dt.date(2024, 1, 1)  # a Monday
DAYS = 3 * 365 + 1
COMPONENTS = ("won_amount", "deals_won", "deals_lost", "csat_responses", "csat_positive")
METRICS = ("revenue", "deals_won", "win_rate", "csat")
# A month's seasonal weight: quiet summer and December, a push at each quarter's end.
SEASON = (0.9, 1.0, 1.25, 0.95, 1.0, 1.2, 0.8, 0.7, 1.2, 1.0, 1.05, 0.75)
TEAM = 30  # reps per simulated organisation: the peers a rep is pooled with


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class Rep:
    """One simulated rep: running totals of each component by day (prefix
    sums, so any period's totals are two look-ups) and the day they started."""

    def __init__(self, rng: random.Random, org_level: float) -> None:
        self.hired = 0 if rng.random() < 0.7 else rng.randrange(0, DAYS - 120)
        rate = org_level * rng.gammavariate(2.0, 0.75)  # won-or-lost deals a week
        win = rng.betavariate(4, 6)
        happy = rng.betavariate(8, 2)
        size = math.log(3000) + rng.gauss(0, 0.5)
        walk = 0.0
        self.sums = {c: array("d", [0.0]) for c in COMPONENTS}
        running = dict.fromkeys(COMPONENTS, 0.0)
        shock = 1.0
        for n in range(DAYS):
            day = FIRST + dt.timedelta(days=n)
            if day.weekday() == 0:  # weekly: a shock, the walk, slow drifts
                shock = rng.gammavariate(2.0, 0.5)
                walk = 0.97 * walk + rng.gauss(0, 0.08)
                win = min(0.95, max(0.05, win + rng.gauss(0, 0.01)))
                happy = min(0.99, max(0.3, happy + rng.gauss(0, 0.01)))
            if n >= self.hired and day.weekday() < 5:
                ramp = min(1.0, 0.25 + 0.75 * (n - self.hired) / 90)
                mean = rate / 5 * SEASON[day.month - 1] * shock * math.exp(walk) * ramp
                for _ in range(poisson(rng, mean)):
                    if rng.random() < win:
                        big = rng.random() < 0.12
                        amount = math.exp(size + (1.6 + rng.gauss(0, 0.9) if big
                                                  else rng.gauss(0, 0.6)))  # fmt: skip
                        running["won_amount"] += round(amount, 2)
                        running["deals_won"] += 1
                        if rng.random() < 0.33:
                            running["csat_responses"] += 1
                            running["csat_positive"] += rng.random() < happy
                    else:
                        running["deals_lost"] += 1
            for c in COMPONENTS:
                self.sums[c].append(running[c])

    def totals(self, start: int, end: int) -> dict[str, float]:
        """Component totals over days [start, end] (indexes from FIRST)."""
        start, end = max(start, 0), min(end, DAYS - 1)
        if end < start:
            return dict.fromkeys(COMPONENTS, 0.0)
        return {c: s[end + 1] - s[start] for c, s in self.sums.items()}

    def weeks(self, day: int, count: int) -> list[dict[str, float] | None]:
        """The `count` whole weeks before the one holding `day`, as the
        rollups give them (None: a week without a single record)."""
        monday = day - (FIRST + dt.timedelta(days=day)).weekday()
        found: list[dict[str, float] | None] = []
        for k in range(count, 0, -1):
            first = monday - 7 * k
            week = self.totals(first, first + 6)
            found.append(week if first + 6 >= self.hired and any(week.values()) else None)
        return found


def periods() -> list[tuple[str, int, int]]:
    """(kind, first day, last day) of every month, quarter and year with at
    least six months of selling before it."""
    found = []
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            if start < dt.date(2024, 7, 1):
                continue
            end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            found.append(("month", start, end))
            if month % 3 == 1:
                stop = dt.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
                found.append(("quarter", start, stop - dt.timedelta(days=1)))
        if year > 2024:
            found.append(("year", dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [(k, (s - FIRST).days, (e - FIRST).days) for k, s, e in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--by-metric", action="store_true", help="also a table per metric")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from rumbo.goals.calibration import reliability, table
    from rumbo.goals.forecast import LOOKBACK_WEEKS, History, Plan, Pool, outlook, shape_of
    from rumbo.metrics import registry

    started = time.perf_counter()
    rng = random.Random(args.seed)
    orgs: list[list[Rep]] = []
    for first in range(0, args.reps, TEAM):
        level = rng.lognormvariate(0, 0.3)
        orgs.append([Rep(rng, level) for _ in range(min(TEAM, args.reps - first))])
    print(f"{args.reps:,} reps simulated over {DAYS} days in {time.perf_counter() - started:.0f} s"
          f" (seed {args.seed})")  # fmt: skip
    metrics = {key: registry.get_metric(key) for key in METRICS}
    shapes = {key: shape_of(m) for key, m in metrics.items() if m is not None}

    def value(key: str, totals: dict[str, float]) -> float | None:
        y, events = shapes[key].split(totals)
        return y if shapes[key].cumulative else (y / events if events else None)

    results: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
    by_metric: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
    for org in orgs:
        cache: dict[int, dict[str, tuple[list[History], Pool | None]]] = {}

        def seen_on(day: int, org: list[Rep] = org, cache: dict = cache) -> dict:  # type: ignore[type-arg]
            if day not in cache:
                weeks = [rep.weeks(day, LOOKBACK_WEEKS) for rep in org]
                cache[day] = {}
                for key, shape in shapes.items():
                    found = [History.of(w, shape) for w in weeks]
                    cache[day][key] = (found, Pool.of(found, shape.cumulative))
            return cache[day]

        for kind, start, end in periods():
            length = end - start + 1
            checkpoints = {"week 2": start + 13, "halfway": start + length // 2,
                           "3/4": start + length * 3 // 4}  # fmt: skip
            for i, rep in enumerate(org):
                if rep.hired >= start:
                    continue
                trailing = rep.totals(max(start - 91, rep.hired), start - 1)
                span = start - max(start - 91, rep.hired)
                final = rep.totals(start, end)
                for key, shape in shapes.items():
                    before = value(key, trailing)
                    if not before:  # nothing sold lately: no manager sets that goal
                        continue
                    if shape.cumulative:  # the trailing pace for the period, made harder or easier
                        target = before / span * length * rng.uniform(0.6, 1.6)
                        target = max(1.0, round(target, 2 if key == "revenue" else 0))
                    else:
                        target = min(100.0, max(5.0, round(before + rng.uniform(-12, 15))))
                    reached = value(key, final)
                    met = reached is not None and reached >= target
                    plan = Plan(FIRST + dt.timedelta(days=start), FIRST + dt.timedelta(days=end),
                                Decimal(str(target)), shape.cumulative, True)  # fmt: skip
                    for point, day in checkpoints.items():
                        so_far = rep.totals(start, day)
                        now = value(key, so_far)
                        histories, pool = seen_on(day)[key]
                        actual = None if now is None else Decimal(str(round(now, 2)))
                        seen = outlook(plan, FIRST + dt.timedelta(days=day), actual,
                                       histories[i], None, shape.split(so_far), pool)  # fmt: skip
                        if seen.probability is None or seen.status == "achieved":
                            continue
                        results[(kind, point)].append((seen.probability, met))
                        by_metric[(kind, key)].append((seen.probability, met))
    print(f"forecasts made in {time.perf_counter() - started:.0f} s\n")
    within = True
    for kind in ("month", "quarter", "year"):
        for point in ("week 2", "halfway", "3/4"):
            found = reliability(results[(kind, point)])
            within = within and found.within
            print("\n".join(table(f"{kind}, {point}", found)), end="\n\n")
    if args.by_metric:
        for (kind, key), pairs in sorted(by_metric.items()):
            print("\n".join(table(f"{kind}, {key} (all checkpoints)", reliability(pairs))),
                  end="\n\n")  # fmt: skip
    print("every table within the bounds" if within else "SOME TABLE OUTSIDE THE BOUNDS")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
