"""Time in the demo: a seasonal calendar of the last two years (Q4 peak, August
dip, quiet weekends, modest growth) and monthly exchange rates over it."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from itertools import accumulate

ONE = Decimal(1)
# Relative sales activity per month: a year-end push and a summer holiday.
MONTH_WEIGHT = {1: 0.85, 2: 0.92, 3: 1.08, 4: 0.97, 5: 1.0, 6: 1.1, 7: 0.9, 8: 0.5,
                9: 1.02, 10: 1.12, 11: 1.25, 12: 1.4}  # fmt: skip
WEEKDAY_WEIGHT = (1.0, 1.05, 1.05, 1.0, 0.9, 0.12, 0.04)
GROWTH_PER_YEAR = 0.12
DAYS_BACK = 730
DAYS_AHEAD = 45  # open deals are expected to close up to this far ahead


class Calendar:
    """Days from `start` (two years ago) to `today + DAYS_AHEAD`, each weighted by
    season, weekday and growth; deals draw their expected close day from it."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.start = today - dt.timedelta(days=DAYS_BACK)
        count = DAYS_BACK + DAYS_AHEAD + 1
        self.days = [self.start + dt.timedelta(days=i) for i in range(count)]
        weights = [
            MONTH_WEIGHT[d.month] * WEEKDAY_WEIGHT[d.weekday()] * (1 + GROWTH_PER_YEAR * i / 365)
            for i, d in enumerate(self.days)
        ]
        self._cum = list(accumulate(weights))
        self._offsets = range(count)

    def sample(self, rng: random.Random, k: int) -> list[dt.date]:
        """`k` close days drawn by weight, in date order."""
        picks = rng.choices(self._offsets, cum_weights=self._cum, k=k)
        picks.sort()
        days = self.days
        return [days[i] for i in picks]


class Rates:
    """Monthly rates (base units per unit of currency) on the 1st of each month
    from the calendar's first month to today's; a random walk per currency."""

    STARTS = {"USD": 0.92, "GBP": 1.16}
    STEP = {"USD": 0.014, "GBP": 0.01}

    def __init__(self, calendar: Calendar, rng: random.Random, base: str = "EUR") -> None:
        self.base = base
        start, today = calendar.start, calendar.today
        self._first = start.year * 12 + start.month - 1
        months = today.year * 12 + today.month - 1 - self._first + 1
        self.dates = [dt.date((self._first + i) // 12, (self._first + i) % 12 + 1, 1)
                      for i in range(months)]  # fmt: skip
        self.table: dict[str, list[Decimal]] = {}
        for currency, value in self.STARTS.items():
            series = []
            for _ in range(months):
                series.append(Decimal(f"{value:.6f}"))
                value *= 1 + rng.gauss(0, self.STEP[currency])
            self.table[currency] = series

    def on(self, currency: str, day: dt.date) -> Decimal:
        """The latest monthly rate on or before `day` (what `sales.services.rate_on`
        finds in the ExchangeRate table for the same data)."""
        if currency == self.base:
            return ONE
        index = day.year * 12 + day.month - 1 - self._first
        series = self.table[currency]
        return series[min(max(index, 0), len(series) - 1)]

    def rows(self) -> list[tuple[str, dt.date, Decimal]]:
        return [
            (currency, day, series[i])
            for currency, series in self.table.items()
            for i, day in enumerate(self.dates)
        ]
