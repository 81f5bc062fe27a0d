"""What the simulation of one organisation shares across its reps."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from rumbo.demo.calendar import Calendar, Rates
from rumbo.demo.draw import between
from rumbo.demo.vocab import ProductSpec


@dataclass
class OrgContext:
    """Ids of the organisation's catalogues, its calendar and rates, and `now`
    (the start of today, local time): nothing in the demo happens after it."""

    org_id: int
    calendar: Calendar
    rates: Rates
    business_products: list[tuple[int, ProductSpec]]
    consumer_products: list[tuple[int, ProductSpec]]
    technique_ids: list[int]  # in vocab.TECHNIQUES order
    now: dt.datetime
    tz: dt.tzinfo
    activity_rate: float = 1.0

    @property
    def today(self) -> dt.date:
        return self.calendar.today


def moment(ctx: OrgContext, day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment on `day` in the organisation's zone, as UTC."""
    local = dt.datetime(day.year, day.month, day.day, between(rng, 8, 19), between(rng, 0, 59),
                        tzinfo=ctx.tz)  # fmt: skip
    return local.astimezone(dt.UTC)
