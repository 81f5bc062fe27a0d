"""Which plan a won deal follows, and when each of its steps falls due. Pure
functions over plain values: the services feed them rows and write the result."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rumbo.care.choices import DelayUnit, Trigger

# A step that fell due this long before its plan started is not scheduled: an
# import of last year's deals must not fill the seller's list with overdue calls.
GRACE = dt.timedelta(days=14)


def add_delay(day: dt.date, count: int, unit: str) -> dt.date:
    """`day` plus `count` days, weeks or months (31 January + 1 month is the
    last day of February)."""
    if unit == DelayUnit.DAYS:
        return day + dt.timedelta(days=count)
    if unit == DelayUnit.WEEKS:
        return day + dt.timedelta(weeks=count)
    months = day.month - 1 + count
    year, month = day.year + months // 12, months % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))  # fmt: skip


@dataclass(frozen=True)
class PlanRow:
    id: int
    trigger: str
    segment: str
    category: str
    is_default: bool


def choose_plan(plans: Sequence[PlanRow], *, first_purchase: bool, segment: str,
                categories: Iterable[str]) -> PlanRow | None:  # fmt: skip
    """The most specific active plan for a won deal: segment and category both
    matching, then category, then segment, then the default. A plan for first
    purchases is chosen before one for any won deal when it is the customer's
    first. Segments and categories match ignoring case and spaces around."""
    seg = segment.strip().casefold()
    cats = {c.strip().casefold() for c in categories if c}
    triggers = [Trigger.FIRST_PURCHASE, Trigger.DEAL_WON] if first_purchase else [Trigger.DEAL_WON]
    for trigger in triggers:
        best: tuple[int, PlanRow] | None = None
        for plan in plans:
            if plan.trigger != trigger:
                continue
            p_seg, p_cat = plan.segment.strip().casefold(), plan.category.strip().casefold()
            if (p_seg and p_seg != seg) or (p_cat and p_cat not in cats):
                continue
            if not (p_seg or p_cat or plan.is_default):
                continue
            rank = 2 * bool(p_cat) + bool(p_seg)
            if best is None or rank > best[0] or (rank == best[0] and plan.id < best[1].id):
                best = (rank, plan)
        if best is not None:
            return best[1]
    return None
