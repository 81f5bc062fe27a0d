"""How much data a rate rests on: what it counts (the formula's denominator,
from the same component totals), the minimum below which a surface says "not
enough data yet" instead of a bare number, and how its interval is computed
(metrics.md, "Honest statistics"). A rate metric declares its Sample in the
registry (Metric.sample), beside its formula: the threshold is part of what
the metric means, so no surface has one of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import ngettext

from rumbo.metrics.intervals import nps_interval, wilson

Totals = Mapping[str, Decimal]

# Thresholds from metrics.md: 10 survey responses, 20 closed deals; a rate per
# won deal needs 10 of them.
MIN_RESPONSES = 10
MIN_CLOSED = 20
MIN_WON = 10


@dataclass(frozen=True)
class Sample:
    """`count`: the number the rate divides by; `minimum`: fewer than that is
    not enough data; `interval`: "wilson" (a proportion: `hits` out of
    `count`), "nps", or "" (no interval, e.g. complaints per 100 deals)."""

    count: Callable[[Totals], Decimal]
    minimum: int
    noun: Literal["responses", "closed", "won", "follow_ups"]
    interval: Literal["wilson", "nps", ""] = ""
    hits: Callable[[Totals], Decimal] | None = None

    def counted(self, totals: Totals | None) -> int:
        return int(self.count(totals)) if totals else 0

    def enough(self, totals: Totals | None) -> bool:
        return self.counted(totals) >= self.minimum

    def bounds(self, totals: Totals | None) -> tuple[float, float] | None:
        """The 95 % interval in the metric's unit (0–100 or NPS points)."""
        if not totals:
            return None
        n = float(self.count(totals))
        if self.interval == "wilson" and self.hits is not None:
            found = wilson(float(self.hits(totals)), n)
            return None if found is None else (100 * found[0], 100 * found[1])
        if self.interval == "nps":
            return nps_interval(float(totals["nps_promoters"]),
                                float(totals["nps_detractors"]), n)  # fmt: skip
        return None

    def words(self, n: int) -> str:
        """The count in words: 12 responses, 1 closed deal, 30 deals won."""
        if self.noun == "responses":
            return ngettext("%(n)s response", "%(n)s responses", n) % {"n": n}
        if self.noun == "closed":
            return ngettext("%(n)s closed deal", "%(n)s closed deals", n) % {"n": n}
        if self.noun == "follow_ups":
            return ngettext("%(n)s follow-up done", "%(n)s follow-ups done", n) % {"n": n}
        return ngettext("%(n)s deal won", "%(n)s deals won", n) % {"n": n}


def _c(name: str) -> Callable[[Totals], Decimal]:
    return lambda t: t[name]


def counts(component: str) -> Callable[[Totals], Decimal]:
    """The count read from one component total."""
    return lambda t: t[component]
