"""Assertions shared by the metrics tests: the rollup rows equal the components
computed from the source rows by the oracle."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from rumbo.metrics import registry
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.tenancy.models import Organization
from tests.metrics import oracle

# Money is exact to the cent; hours come from floating-point time differences.
TOLERANCE = Decimal("0.001")


def _same(a: Decimal, b: Decimal) -> bool:
    return abs(Decimal(a) - Decimal(b)) <= TOLERANCE


def _rows(model: Any, org: Organization, day_field: str) -> dict[Any, dict[str, Decimal]]:
    names = registry.component_keys()
    found = {}
    for row in model.objects.filter(organization=org).values("member_id", day_field, *names):
        found[(row["member_id"], row[day_field])] = {n: Decimal(row[n]) for n in names}
    return found


def mismatches(org: Organization) -> list[str]:
    """Differences between the rollups and the source, as readable lines."""
    names = registry.component_keys()
    expected = oracle.components(org)
    problems = []
    days = _rows(RollupDay, org, "day")
    for key in sorted(set(days) | set(expected), key=str):
        got = days.get(key, {})
        want = expected.get(key, {})
        for n in names:
            if not _same(got.get(n, Decimal(0)), want.get(n, Decimal(0))):
                problems.append(f"day {key} {n}: rollup {got.get(n)} source {want.get(n)}")
        if key not in days:
            problems.append(f"day {key}: no rollup row")
        if key not in expected:
            problems.append(f"day {key}: a rollup row with no source rows")
    months_want: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (member, day), row in expected.items():
        for n, v in row.items():
            months_want[(member, day.replace(day=1))][n] += v
    months = _rows(RollupMonth, org, "month")
    for key in sorted(set(months) | set(months_want), key=str):
        got, want = months.get(key, {}), months_want.get(key, {})
        for n in names:
            if not _same(got.get(n, Decimal(0)), want.get(n, Decimal(0))):
                problems.append(f"month {key} {n}: rollup {got.get(n)} source {want.get(n)}")
    return problems


def assert_rollups_match(org: Organization) -> None:
    problems = mismatches(org)
    assert not problems, "\n".join(problems[:30])
