"""The organisation's seasons, read from its own history: how much busier
each calendar month is than the organisation's average, so that a forecast
read off the twelve weeks before the day does not carry a quiet December
into the rest of a year, or a quarter-end push into a summer (ADR 0014).

Each seller with a record in every month of a whole year (twelve months in
a row) and in a month before it (a seller's first months are a ramp, not a
season) gives twelve ratios, each month's daily amount over that seller's
average for the year: the seller's level and the organisation's growth
(new hires) drop out. A month's factor is the mean of the sellers' ratios,
shrunk toward 1 by as much as the sellers disagree (empirical Bayes: the
spread of the factors beyond what the sellers' scatter explains is the
season, the rest noise). Less than a year of history: no season (the
forecast's drift term holds the unseen season). Free of the database."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from math import fsum
from typing import NamedTuple

# At least this many seller-years to read a season from.
MIN_SELLERS = 3
# A season is read from at most this many whole years before the day's month.
YEARS = 2


class Season(NamedTuple):
    """Twelve monthly factors (January first) whose mean is 1."""

    factors: tuple[float, ...]

    def level(self, first: date, last: date) -> float:
        """The mean factor over the days [first, last] (1 when empty)."""
        return _level(self.factors, first, last)

    def ratio(self, day: date, end: date, weeks: int) -> float:
        """How much busier the days after `day` up to `end` are than the
        `weeks` whole weeks before the week holding `day` (the weeks a
        forecast's history reads)."""
        if weeks <= 0 or end <= day:
            return 1.0
        monday = day - timedelta(days=day.weekday())
        before = self.level(monday - timedelta(weeks=weeks), monday - timedelta(days=1))
        return self.level(day + timedelta(days=1), end) / before

    @classmethod
    def of(cls, sellers: Iterable[tuple[Sequence[float | None], bool]],
           first_month: date) -> Season | None:  # fmt: skip
        """`sellers`: each seller's monthly totals over whole months in a row
        from `first_month` (None: a month without any record), oldest first,
        and whether they have a record before `first_month`. Only whole years
        in which the seller recorded every month, and some month before,
        count: the latest YEARS of them."""
        ratios: list[list[float]] = [[] for _ in range(12)]
        blocks = 0
        for months, earlier in sellers:
            whole = len(months) // 12
            for block in range(max(whole - YEARS, 0), whole):  # the latest years
                part = months[12 * block : 12 * block + 12]
                if any(v is None for v in part):
                    continue
                if not (earlier or any(v is not None for v in months[: 12 * block])):
                    continue  # the seller's first year: a ramp
                daily = [(v or 0.0) / _days(first_month, 12 * block + i)
                         for i, v in enumerate(part)]  # fmt: skip
                mean = fsum(daily) / 12
                if mean <= 0:
                    continue
                blocks += 1
                for i, v in enumerate(daily):
                    ratios[(first_month.month - 1 + 12 * block + i) % 12].append(v / mean)
        if blocks < MIN_SELLERS:
            return None
        means = [fsum(r) / len(r) for r in ratios]
        noise = [_variance(r, m) / len(r) for r, m in zip(ratios, means, strict=True)]
        signal = fsum((m - 1) ** 2 for m in means) / 12 - fsum(noise) / 12
        if signal <= 0:
            return None
        shrunk = [1 + (m - 1) * signal / (signal + e) for m, e in zip(means, noise, strict=True)]
        centre = fsum(shrunk) / 12
        return cls(tuple(f / centre for f in shrunk))


def _variance(values: Sequence[float], mean: float) -> float:
    n = len(values)
    return fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0


@lru_cache(maxsize=256)
def _days(first_month: date, k: int) -> int:
    """The number of days of the k-th month from `first_month`."""
    year, month = divmod(first_month.month - 1 + k, 12)
    return monthrange(first_month.year + year, month + 1)[1]


@lru_cache(maxsize=4096)
def _level(factors: tuple[float, ...], first: date, last: date) -> float:
    """Day-weighted mean factor over [first, last]: the daily job asks the
    same few windows for every goal."""
    if last < first:
        return 1.0
    total, day = 0.0, first
    while day <= last:
        end = min(date(day.year, day.month, monthrange(day.year, day.month)[1]), last)
        total += factors[day.month - 1] * ((end - day).days + 1)
        day = end + timedelta(days=1)
    return total / ((last - first).days + 1)
