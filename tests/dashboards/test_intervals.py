"""The intervals drawn on the dashboards, against published and hand-worked
values (not against another run of the same formula)."""

from __future__ import annotations

import pytest

from rumbo.metrics.intervals import nps_interval, wilson


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [  # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombes_table(hits: int, n: int, low: float, high: float) -> None:
    found = wilson(hits, n)
    assert found is not None
    assert found == pytest.approx((low, high), abs=6e-5)


def test_wilson_of_all_successes_is_not_a_certainty() -> None:
    low, high = wilson(5, 5)  # type: ignore[misc]
    assert high == 1.0 and low == pytest.approx(0.5655, abs=1e-4)  # 5 of 5 is not "100 % ± 0"
    assert wilson(0, 0) is None


def test_nps_adjusted_wald_worked_example() -> None:
    # 6 promoters, 2 passives, 2 detractors: NPS 40. Adjusted (Rocks 2016):
    # p = 6.75/13, d = 2.75/13, net = 0.3077, var = (p + d − net²)/13 = 0.04893,
    # half width 1.96 × 0.2212 = 0.4336 -> −12.6 to 74.1 points.
    low, high = nps_interval(6, 2, 10)  # type: ignore[misc]
    assert low == pytest.approx(-12.6, abs=0.05) and high == pytest.approx(74.1, abs=0.05)


def test_nps_interval_stays_on_the_scale_and_narrows_with_answers() -> None:
    low, high = nps_interval(1, 0, 1)  # type: ignore[misc]
    assert -100 <= low < high <= 100
    few = nps_interval(5, 1, 10)
    many = nps_interval(50, 10, 100)
    assert few is not None and many is not None
    assert many[1] - many[0] < few[1] - few[0]
    assert nps_interval(0, 0, 0) is None
