"""95 % intervals for the rates the dashboards draw over time (metrics.md,
"Honest statistics"). statsmodels is not a dependency for two formulas, so
they are written here and tested against published values.

- A proportion (CSAT, win rate, repeat rate): Wilson's score interval
  (Wilson 1927; Newcombe 1998, method 3). Unlike the Wald interval it stays
  inside 0–1 and keeps its coverage with few answers (5 of 5 is not "100 % ± 0").
- NPS (promoters − detractors over a 0–10 scale, −100…100): the adjusted Wald
  interval of Rocks (2016, "Interval estimation for the net promoter score",
  The American Statistician 70:4): add 3/4 of a promoter and 3/4 of a
  detractor to the counts and 3 answers to n, then use the variance of a
  difference of two multinomial shares. Rocks found it keeps near-nominal
  coverage down to about 10 answers, where the plain Wald interval does not.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of successes / n, as shares (0–1); None for n = 0."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def nps_interval(promoters: float, detractors: float, n: float,
                 z: float = Z95) -> tuple[float, float] | None:  # fmt: skip
    """Adjusted Wald interval of the NPS in points (−100…100); None for n = 0."""
    if n <= 0:
        return None
    size = n + 3
    pro = (promoters + 0.75) / size
    det = (detractors + 0.75) / size
    net = pro - det
    variance = (pro + det - net * net) / size
    half = z * math.sqrt(max(variance, 0.0))
    return max(-100.0, 100 * (net - half)), min(100.0, 100 * (net + half))
