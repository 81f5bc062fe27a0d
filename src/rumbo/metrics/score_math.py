"""The arithmetic of a balanced score (docs/decisions/0012): each metric earns
its attainment capped at 100 % (its *credit*); the quantity half and the
quality half are each the weighted mean of their metrics' credits; the score
is the weighted geometric mean of the two halves (weights: the halves' weights
with data). So:

- 100 means every target met: any credit below 100 pulls its half, and with
  it the score, below 100 (a score is never rounded up to 100);
- quantity cannot buy quality: over-achievement earns nothing beyond the
  target, and a weak half drags the score more than an average would;
- a metric without data (a rate with nothing to divide by) is left out.

In floating point: a score is an index shown to one decimal, and this runs
for 10,000 reps (ADR 0005, "Speed")."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

FULL = 100.0


def credit(actual: float | None, target: float, lower: bool) -> float | None:
    """Attainment (in %) capped at 100, never below 0; None without data or
    target. Lower is better: target ÷ actual, and nothing at all (no
    complaint) is the target met."""
    if actual is None or target <= 0:
        return None
    if lower:  # compared before dividing: a target exactly met is 100, not 99.999…
        return FULL if actual <= target else FULL * target / actual
    return FULL if actual >= target else 0.0 if actual <= 0 else FULL * actual / target


def credits(actuals: Sequence[float | None], target: float, lower: bool) -> list[float | None]:
    """`credit` of many actuals against one target (a leaderboard's 10,000
    reps): the same arithmetic in comprehensions."""
    if target <= 0:
        return [None] * len(actuals)
    if lower:
        top = FULL * target
        return [None if a is None else FULL if a <= target else top / a for a in actuals]
    factor = FULL / target
    return [None if a is None else FULL if a >= target else 0.0 if a <= 0 else a * factor
            for a in actuals]  # fmt: skip


class Tally:
    """Running sums of one group's credits, per half: weighted credit, weight,
    and whether any target with data was missed."""

    __slots__ = ("earned", "missed", "weight")

    def __init__(self) -> None:
        self.earned = [0.0, 0.0]  # quantity, quality
        self.weight = [0.0, 0.0]
        self.missed = False

    def add(self, half: int, weight: float, value: float | None) -> None:
        if value is None:
            return
        self.earned[half] += weight * value
        self.weight[half] += weight
        if value < FULL:
            self.missed = True

    def score(self) -> Decimal | None:
        return combine(self.earned, self.weight, self.missed)


def half_of(family: str) -> int:
    return 1 if family == "quality" else 0


def combine(earned: Sequence[float], weight: Sequence[float], missed: bool) -> Decimal | None:
    """The score from each half's weighted credits and weights: None when no
    metric has data; 100 only when nothing was missed; otherwise the weighted
    geometric mean of the halves' means, rounded down to one decimal (99.96
    must not read 100)."""
    total = sum(weight)
    if not total:
        return None
    if not missed:
        return Decimal(100)
    log = 0.0
    for e, w in zip(earned, weight, strict=True):
        if not w:
            continue
        mean = e / w
        if mean <= 0:
            return Decimal(0)
        log += w * math.log(mean)
    value = math.exp(log / total)
    tenths = min(math.floor(value * 10 + 1e-9), 999)
    return Decimal(tenths).scaleb(-1)


def half_means(earned: Sequence[float], weight: Sequence[float]) -> tuple[float | None, ...]:
    """Each half's weighted mean credit (None for a half without data)."""
    return tuple(e / w if w else None for e, w in zip(earned, weight, strict=True))
