"""What a goal's forecast reads of its owner's past: how a metric's
components make its value (a running total, or a rate's numerator and
events), the owner's weeks summed up from their first recorded week, and
what the owner's peers say about an owner with little history. Free of the
database; `rumbo.goals.forecast` turns them into a forecast (ADR 0014)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from math import fsum, sqrt
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rumbo.metrics.registry import Metric

# Peers count toward the pool once they have this many weeks.
PEER_WEEKS = 4


Week = Mapping[str, float] | Mapping[str, Decimal] | float | None


class Shape(NamedTuple):
    """How a metric's components make its value. A running total is one
    component; a rate is `numerator ÷ events` with both sums of components:
    `numerator` in the value's own units (win rate: 100 per won deal), events
    the denominator (deals closed). Read once per metric from its formula."""

    cumulative: bool
    numerator: tuple[tuple[str, float], ...]
    events: tuple[str, ...]
    step: float = 0.0  # a running count moves by whole units

    def flow(self, totals: Week) -> float:
        """What a season is read from: a running total's amount, a rate's events."""
        y, events = self.split(totals)
        return y if self.cumulative else events

    def split(self, totals: Week) -> tuple[float, float]:
        """(value-weighted numerator, events) of some component totals."""
        if totals is None:
            return 0.0, 0.0
        if not isinstance(totals, dict | Mapping):  # a bare weekly value
            return float(totals), 0.0
        # Plain loops, not fsum over generators: the daily job splits a million weeks.
        y = b = 0.0
        for c, w in self.numerator:
            v = totals.get(c)
            if v:
                y += w * float(v)
        for c in self.events:
            v = totals.get(c)
            if v:
                b += float(v)
        return y, b


RUNNING = Shape(True, (("value", 1.0),), ())
_SHAPES: dict[str, Shape] = {}


def shape_of(metric: Metric) -> Shape:
    """The metric's shape, read off its formula: every registered rate is a
    ratio of sums of components (`registry.ratio`) whose denominator sums
    counts, so a component alone gives a value exactly when it is in the
    denominator, and its weight in the numerator is what one more of it adds."""
    found = _SHAPES.get(metric.key)
    if found is not None:
        return found
    components = metric.components
    if metric.cumulative:
        shape = Shape(True, ((components[0], 1.0),), (), 1.0 if metric.unit == "count" else 0.0)
    else:
        assert metric.formula is not None
        formula = metric.formula
        zero = dict.fromkeys(components, Decimal(0))
        alone = {c: formula({**zero, c: Decimal(1)}) for c in components}
        events = tuple(c for c, v in alone.items() if v is not None)
        if not events:
            raise ValueError(f"{metric.key}: no component divides the rate")
        base = float(alone[events[0]] or 0)
        weights = []
        for c in components:
            one = alone[c] if c in events else formula({**zero, c: Decimal(1),
                                                        events[0]: Decimal(1)})  # fmt: skip
            weight = float(one or 0) - (0.0 if c in events else base)
            if weight:
                weights.append((c, weight))
        shape = Shape(False, tuple(weights), events)
    _SHAPES[metric.key] = shape
    return shape


class History(NamedTuple):
    """The owner's weeks summed up, from their first recorded week on. A running
    total: the weeks' count, mean and (sample) standard deviation. A rate: the
    weeks' count, the rate over all their events (each event weighs the same,
    whatever its week), the standard deviation of one event's value around it,
    the events and the weekly flow of events with its deviation."""

    weeks: int
    mean: float | None
    sigma: float
    events: float = 0.0
    events_sigma: float = 0.0
    idle: int = 0  # weeks that added nothing (a running total) or had no event (a rate)
    step: float = 0.0  # a rate: the most one event adds to the numerator (100 for a win)
    spread_weeks: int = 0  # lengthened: the recent weeks the spreads were read over

    @property
    def recent(self) -> int:
        """The weeks a week's (or an event's) spread was read over."""
        return self.spread_weeks or self.weeks

    def none_in(self, weeks_left: float) -> float:
        """The chance that the remaining weeks add nothing at all: few sales
        come in lumps, and a normal or lognormal curve has no room for "none"."""
        if not self.weeks or weeks_left <= 0:
            return 0.0
        return float(((self.idle + 0.5) / (self.weeks + 1)) ** weeks_left)

    def lengthened(self, weeks: float, totals: tuple[float, float], cumulative: bool) -> History:
        """The same owner read over a longer window (`weeks` from their first
        record, `totals` its (numerator, events)): the level (a running
        total's weekly mean; a rate and its flow of events) from the longer
        window, the spread of a week or of an event from the recent weeks. A
        goal with many weeks left is about the owner's usual level, which a
        short window reads with its luck (ADR 0014)."""
        if weeks <= self.weeks or self.mean is None:
            return self
        y, events = totals
        idle = round(self.idle * weeks / self.weeks)
        read = self.recent
        if cumulative:
            return self._replace(weeks=round(weeks), mean=y / weeks, idle=idle, spread_weeks=read)
        if events <= 0:
            return self
        return self._replace(weeks=round(weeks), mean=y / events, events=events, idle=idle,
                             spread_weeks=read)  # fmt: skip

    def over_months(self, shape: Shape, first: date, months: Sequence[Week]) -> History:
        """`lengthened` over whole months in a row from `first` (None: a month
        without any record; leading ones are before the owner started)."""
        start = next((k for k, m in enumerate(months) if m is not None), None)
        if start is None:
            return self
        days = y = events = 0.0
        for k in range(start, len(months)):
            year, month = divmod(first.month - 1 + k, 12)
            days += monthrange(first.year + year, month + 1)[1]
            part = shape.split(months[k])
            y, events = y + part[0], events + part[1]
        return self.lengthened(days / 7, (y, events), shape.cumulative)

    @classmethod
    def of(cls, weekly: Sequence[Week], shape: Shape = RUNNING) -> History:
        """`weekly`: oldest first; None is a week without any record (leading
        ones are before the owner started, later ones are weeks of zeros)."""
        first = next((i for i, w in enumerate(weekly) if w is not None), None)
        if first is None:
            return cls(0, None, 0.0)
        split = shape.split
        pairs = [split(w) for w in weekly[first:]]
        n = len(pairs)
        if shape.cumulative:
            values = [y for y, _b in pairs]
            mean, sigma = _mean_sd(values)
            return cls(n, mean, sigma, idle=values.count(0.0), step=shape.step)
        counts = [b for _y, b in pairs]
        flow, flow_sigma = _mean_sd(counts)
        events = flow * n
        idle = counts.count(0.0)
        step = max(abs(w) for _c, w in shape.numerator) if shape.numerator else 0.0
        if events <= 0:
            return cls(n, None, 0.0, 0.0, flow_sigma, idle, step)
        rate = sum(y for y, _b in pairs) / events
        residual = sum((y - rate * b) ** 2 for y, b in pairs) / events
        return cls(n, rate, sqrt(residual * n / max(n - 1, 1)), events, flow_sigma, idle, step)


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, 0.0
    return mean, sqrt(sum([(v - mean) ** 2 for v in values]) / (n - 1))


class Pool(NamedTuple):
    """What the owner's peers (the organisation's reps on the same metric) say
    about an owner with little history: the typical weekly amount or rate, the
    variance of the owners' true means around it (their own noise removed),
    and the typical spread (a running total: a week's variance ÷ its mean, the
    size of its lumps; a rate: one event's variance)."""

    mean: float
    between: float
    spread: float

    @classmethod
    def of(cls, histories: Iterable[History], cumulative: bool) -> Pool | None:
        peers = [h for h in histories if h.weeks >= PEER_WEEKS and h.mean is not None]
        if len(peers) < 3:
            return None
        if cumulative:
            means = [h.mean or 0.0 for h in peers]
            noise = fsum(h.sigma**2 / h.weeks for h in peers) / len(peers)
            total = fsum(means)  # a week's variance ÷ its mean, over the peers
            spread = fsum(h.sigma**2 for h in peers) / total if total > 0 else 0.0
        else:
            peers = [h for h in peers if h.events > 0]
            if len(peers) < 3:
                return None
            means = [h.mean or 0.0 for h in peers]
            events = fsum(h.events for h in peers)
            spread = fsum(h.sigma**2 * h.events for h in peers) / events
            noise = fsum(spread / h.events for h in peers) / len(peers)
        centre, deviation = _mean_sd(means)
        # Owners' means vary at least a little: never pool everyone onto one value.
        between = max(deviation**2 - noise, 0.1 * deviation**2, 1e-12)
        return cls(centre, between, spread)
