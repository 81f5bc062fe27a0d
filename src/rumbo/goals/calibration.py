"""How far a goal's probability can be trusted: forecasts grouped by their
predicted probability in ten bins (0–10 %, …, 90–100 %), each with its mean
prediction, the share of those goals that were met and their number, and the
Brier score against always guessing the base rate. Shared by the calibration
benchmark (bench/goals_calibration.py) and `rumbo goals backtest`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import fsum

# The bounds of issue 16: a bin's observed rate within 5 points of its mean
# prediction, or 8 points when it holds fewer than SMALL_BIN forecasts.
TOLERANCE, SMALL_TOLERANCE, SMALL_BIN = 0.05, 0.08, 200


@dataclass(frozen=True)
class Bin:
    low: float
    predicted: float
    observed: float
    count: int

    @property
    def within(self) -> bool:
        allowed = SMALL_TOLERANCE if self.count < SMALL_BIN else TOLERANCE
        return abs(self.observed - self.predicted) <= allowed + 1e-12


@dataclass(frozen=True)
class Reliability:
    bins: list[Bin]
    count: int
    base_rate: float
    brier: float
    brier_base: float

    @property
    def skill(self) -> float:
        """1 − Brier ÷ the base rate's Brier: above 0, better than always
        guessing how often goals are met."""
        return 1 - self.brier / self.brier_base if self.brier_base else 0.0

    @property
    def within(self) -> bool:
        return all(b.within for b in self.bins) and self.skill > 0


def reliability(pairs: Iterable[tuple[float, bool]]) -> Reliability:
    """`pairs`: (predicted probability, whether the goal was met)."""
    grouped: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    every = list(pairs)
    for p, met in every:
        grouped[min(int(p * 10), 9)].append((p, met))
    n = len(every)
    if not n:
        return Reliability([], 0, 0.0, 0.0, 0.0)
    base = sum(met for _p, met in every) / n
    brier = fsum((p - met) ** 2 for p, met in every) / n
    bins = [
        Bin(k / 10, fsum(p for p, _m in rows) / len(rows), sum(m for _p, m in rows) / len(rows),
            len(rows))
        for k, rows in sorted(grouped.items())
    ]  # fmt: skip
    return Reliability(bins, n, base, brier, base * (1 - base))


def table(title: str, found: Reliability) -> list[str]:
    """The reliability table as text lines (a Markdown table)."""
    lines = [f"{title}: {found.count:,} forecasts, met {found.base_rate:.1%}, Brier "
             f"{found.brier:.4f} vs base rate {found.brier_base:.4f}, skill {found.skill:+.3f}"
             f"{'' if found.within else '  ** OUTSIDE THE BOUNDS **'}",
             "", "| predicted | mean predicted | observed | n | |",
             "|---|---|---|---|---|"]  # fmt: skip
    for b in found.bins:
        mark = "ok" if b.within else "off"
        lines.append(f"| {b.low:.0%}–{b.low + 0.1:.0%} | {b.predicted:.1%} | {b.observed:.1%} "
                     f"| {b.count:,} | {mark} |")  # fmt: skip
    return lines
