"""Component totals per rep, team or whole scope, read from the rollups for
scorecards and leaderboards: one grouped query per rollup table (the month rows
for the whole months of the period, the day rows for its ragged edges) with
every component the caller needs, one query for the people, one for the team
names — whatever the number of reps.

Ten thousand reps mean ten thousand rows per query: on PostgreSQL they are
fetched through the cursor, skipping Django's per-row converters (the driver
already returns integers and Decimals), and teams are summed in Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.db import connection
from django.db.models import Q, Sum
from django.http import Http404
from django.utils.translation import pgettext

from rumbo.metrics.evaluation import Scope, team_subtree
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.selectors import split_period, team_names
from rumbo.tenancy.models import Member, Role, Team

# Sums of counts are integers, of amounts Decimals: exact either way. Scores
# compute in floating point; a figure shown or ranked by itself in Decimal.
Totals = dict[str, Any]
By = Literal["rep", "team"] | None


def scope_filters(actor: Member, scope: Scope) -> tuple[Q, Q]:
    """(rollup rows, members) of the scope; a team or rep the actor cannot see is
    a 404, like any record."""
    if scope.kind == "org":
        return Q(), Q()
    if scope.id is None:
        raise Http404
    if scope.kind == "rep":
        if not Member.objects.visible_to(actor).filter(pk=scope.id).exists():
            raise Http404
        return Q(member_id=scope.id), Q(pk=scope.id)
    if not Team.objects.visible_to(actor).filter(pk=scope.id).exists():
        raise Http404
    teams = team_subtree(actor.organization_id, scope.id)
    return Q(member__team_id__in=teams), Q(team_id__in=teams)


def _fetch(qs: Any) -> list[tuple[Any, ...]]:
    if connection.vendor != "postgresql":
        return list(qs)  # SQLite sums decimals as floats: Django's converters make them exact
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rows(qs: Any, components: Sequence[str]) -> list[tuple[Any, ...]]:
    names = [f"s{i}" for i in range(len(components))]
    sums = {name: Sum(c) for name, c in zip(names, components, strict=True)}
    return _fetch(qs.values("member_id").annotate(**sums).values_list("member_id", *names)
                  .order_by())  # fmt: skip


# Up to this many people, rollups are read by member id (an index range per
# person) rather than through the team filter (every row of the period, joined).
BY_ID = 2000


def component_totals(actor: Member, rollup_q: Q, start: date, end: date,
                     components: Sequence[str],
                     people: list[Person] | None = None) -> dict[int, Totals]:  # fmt: skip
    """Each rep's component totals over [start, end] (reps with rollup rows only).
    `people` (from `people_in`, the same scope) lets a small scope be read by
    member id."""
    if people is not None and len(people) <= BY_ID and (rollup_q or actor.role != Role.ADMIN):
        if not people:
            return {}
        rollup_q = Q(member_id__in=[p[0] for p in people])
    months, edges = split_period(start, end)
    rows: list[tuple[Any, ...]] = []
    if months is not None:
        qs = RollupMonth.objects.visible_to(actor).filter(rollup_q)
        rows += _rows(qs.filter(month__gte=months[0], month__lte=months[1]), components)
    if edges:
        ranges = Q()
        for low, high in edges:
            ranges |= Q(day__gte=low, day__lte=high)
        rows += _rows(RollupDay.objects.visible_to(actor).filter(rollup_q).filter(ranges),
                      components)  # fmt: skip
    if months is None or not edges:  # one query: one row per rep
        return {row[0]: dict(zip(components, row[1:], strict=True)) for row in rows}
    totals: dict[int, Totals] = {}
    for member_id, *values in rows:
        found = totals.get(member_id)
        if found is None:
            totals[member_id] = dict(zip(components, values, strict=True))
        else:
            for c, v in zip(components, values, strict=True):
                found[c] += v
    return totals


class Group(NamedTuple):
    """Whose totals one score or value is computed from: a rep, a team (its own
    members) or the whole scope. `headcount`: the sellers in it."""

    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    totals: Totals
    headcount: int
    team_id: int | None


Person = tuple[int, str, "int | None", str, bool]  # id, name, team id, role, active


def people_in(actor: Member, member_q: Q) -> list[Person]:
    """Everybody of the scope the actor may see: one query."""
    return _fetch(Member.objects.visible_to(actor).filter(member_q).order_by()
                  .values_list("id", "name", "team_id", "role", "is_active"))  # fmt: skip


def _sellers(people: list[Person], figures: dict[int, Totals]) -> list[tuple[Any, ...]]:
    """(id, name, team id) of the people a row is about: the scope's active reps,
    and anybody else with figures in the period (a manager who sells)."""
    return [(pk, name, team) for pk, name, team, role, active in people
            if (active and role == Role.REP) or pk in figures]  # fmt: skip


def groups(actor: Member, people: list[Person], totals: dict[int, Totals], by: By,
           components: Sequence[str]) -> list[Group]:  # fmt: skip
    """The sellers' totals per rep, per team (its own members) or for the whole
    scope (by=None)."""
    sellers = _sellers(people, totals)
    zero = dict.fromkeys(components, Decimal(0))
    if by == "rep":
        return [Group(pk, name, "rep", totals.get(pk, zero), 1, team)
                for pk, name, team in sellers]  # fmt: skip
    grouped: dict[Any, list[Any]] = {}
    for pk, _name, team in sellers:
        entry = grouped.setdefault(team if by == "team" else None, [dict(zero), 0])
        entry[1] += 1
        found = totals.get(pk)
        if found is not None:
            into = entry[0]
            for c, v in found.items():
                into[c] += v
    if by is None:
        into, count = grouped.get(None, [dict(zero), 0])
        return [Group(None, pgettext("everyone", "All"), "scope", into, count, None)]
    names = team_names(actor, grouped)
    return [Group(key, names.get(key, str(key)), "team", t, count, key)
            for key, (t, count) in grouped.items()]  # fmt: skip
