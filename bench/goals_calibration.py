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
the rollups give it: each rep's weeks (a week with only calls and visits
logged has a row with nothing sold) and the period so far.

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
from collections import defaultdict

import django

from rumbo.goals.backtest import Ledger  # no Django models: importable before setup

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


def seller(rng: random.Random, org_level: float, ledger: Ledger) -> None:
    """One simulated seller's three years, day by day, into `ledger`."""
    hired = 0 if rng.random() < 0.7 else rng.randrange(0, DAYS - 120)
    rate = org_level * rng.gammavariate(2.0, 0.75)  # won-or-lost deals a week
    win, happy = rng.betavariate(4, 6), rng.betavariate(8, 2)
    size = math.log(3000) + rng.gauss(0, 0.5)
    walk, shock = 0.0, 1.0
    for n in range(DAYS):
        day = FIRST + dt.timedelta(days=n)
        if day.weekday() == 0:  # weekly: a shock, the walk, slow drifts
            shock = rng.gammavariate(2.0, 0.5)
            walk = 0.97 * walk + rng.gauss(0, 0.08)
            win = min(0.95, max(0.05, win + rng.gauss(0, 0.01)))
            happy = min(0.99, max(0.3, happy + rng.gauss(0, 0.01)))
        today = dict.fromkeys(COMPONENTS, 0.0)
        if n >= hired and day.weekday() < 5:
            ramp = min(1.0, 0.25 + 0.75 * (n - hired) / 90)
            mean = rate / 5 * SEASON[day.month - 1] * shock * math.exp(walk) * ramp
            for _ in range(poisson(rng, mean)):
                if rng.random() >= win:
                    today["deals_lost"] += 1
                    continue
                big = rng.random() < 0.12
                amount = math.exp(size + (1.6 + rng.gauss(0, 0.9) if big else rng.gauss(0, 0.6)))
                today["won_amount"] += round(amount, 2)
                today["deals_won"] += 1
                if rng.random() < 0.33:
                    today["csat_responses"] += 1
                    today["csat_positive"] += rng.random() < happy
        # A seller logs calls and visits on most working days: the rollups hold a
        # row for the day even when nothing closed (the forecast reads a week
        # without any row before the first as "not started yet").
        active = n >= hired and day.weekday() < 5 and rng.random() < 0.6
        ledger.add_day(today if active or any(today.values()) else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--by-metric", action="store_true", help="also a table per metric")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from rumbo.goals.backtest import periods, replay, tables

    started = time.perf_counter()
    rng = random.Random(args.seed)
    pairs: dict[tuple[str, str, str], list[tuple[float, bool]]] = defaultdict(list)
    last = FIRST + dt.timedelta(days=DAYS - 1)
    for first in range(0, args.reps, TEAM):
        level = rng.lognormvariate(0, 0.3)
        ledgers = []
        for _ in range(min(TEAM, args.reps - first)):
            ledgers.append(Ledger(FIRST, COMPONENTS))
            seller(rng, level, ledgers[-1])
        for key, found in replay(ledgers, periods(FIRST, last), seed=args.seed + first).items():
            pairs[key].extend(found)
    print(f"{args.reps:,} sellers simulated over {DAYS} days and their goals replayed in "
          f"{time.perf_counter() - started:.0f} s (seed {args.seed})\n")  # fmt: skip
    lines, within = tables(pairs, by_metric=args.by_metric)
    print("\n".join(lines))
    print("every table within the bounds" if within else "SOME TABLE OUTSIDE THE BOUNDS")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
