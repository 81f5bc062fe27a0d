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
        if key not in months:
            problems.append(f"month {key}: no rollup row")
        if key not in months_want:
            problems.append(f"month {key}: a rollup row with no source rows")
    return problems


def assert_rollups_match(org: Organization) -> None:
    problems = mismatches(org)
    assert not problems, "\n".join(problems[:30])


def scope_members(actor: Any, scope: Any) -> set[int]:
    """Members of `scope` the actor may see, worked out without the engine."""
    from rumbo.tenancy.models import Member, Team

    visible = set(Member.objects.visible_to(actor).values_list("id", flat=True))
    if scope.kind == "rep":
        return visible & {scope.id}
    if scope.kind == "team":
        parents = dict(Team.objects.filter(organization_id=actor.organization_id)
                       .values_list("id", "parent_id"))  # fmt: skip

        def below(team: int | None) -> bool:
            while team is not None:
                if team == scope.id:
                    return True
                team = parents.get(team)
            return False

        in_team = {m.pk for m in Member.objects.filter(organization_id=actor.organization_id)
                   if below(m.team_id)}  # fmt: skip
        return visible & in_team
    return visible


def expected(actor: Any, metric: str, scope: Any, start: Any, end: Any, by: Any) -> dict[Any, Any]:
    """What the metric should be, per group, from the source rows."""
    from rumbo.tenancy.models import Member

    org = actor.organization
    members = {m.pk: m for m in Member.objects.filter(organization=org)}
    ask = oracle.Ask(scope_members(actor, scope), start, end, by)
    if metric == "pipeline_value":
        return oracle.pipeline(org, ask, members)  # type: ignore[return-value]
    if metric == "retention":
        return oracle.retention(org, ask, members)
    if metric in oracle.COMPUTED:
        return oracle.COMPUTED[metric](org, ask, members)  # type: ignore[no-any-return]
    values = oracle.additive(metric, oracle.components(org), ask, members)
    if by in ("week", "month"):
        from rumbo.metrics.evaluation import buckets

        for bucket in buckets(start, end, by):
            values.setdefault(bucket.key, oracle.FORMULAS[metric](defaultdict(Decimal)))
    return values


def assert_evaluates(actor: Any, metric: str, scope: Any, start: Any, end: Any, by: Any) -> None:
    from rumbo.metrics import registry
    from rumbo.metrics.selectors import evaluate

    got = {row.key: row.value for row in evaluate(
        actor=actor, metric=registry.METRICS[metric], scope=scope, start=start, end=end,
        group_by=by).rows}  # fmt: skip
    want = expected(actor, metric, scope, start, end, by)
    assert set(got) == set(want), (metric, by, sorted(got, key=str), sorted(want, key=str))
    for key, value in want.items():
        if value is None or got[key] is None:
            assert value is None and got[key] is None, (metric, by, key, got[key], value)
        else:
            gap = abs(got[key] - Decimal(value))
            assert gap <= Decimal("0.011"), (metric, by, key, got[key], value)
