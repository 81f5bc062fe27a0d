"""Fast deterministic draws. `random.choices` rebuilds its cumulative weights on
every call and `randint` goes through several layers; at ten million deals
that is most of the time, so the simulation draws through these instead."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice: cumulative weights computed once."""

    __slots__ = ("items", "cum", "total", "last")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        index = bisect_right(self.cum, rng.random() * self.total)
        return self.items[index if index < self.last else self.last]


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from `low` to `high`, both included."""
    return low + int(rng.random() * (high - low + 1))
