"""Component totals per rep, team or whole scope for scorecards and
leaderboards: each rep's totals through the one rollup reader
(metrics.totals: one grouped query per rollup table), one query for the
people, one for the team names — whatever the number of reps. Teams and the
whole scope are summed from the reps' totals in Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.db.models import Q
from django.http import Http404
from django.utils.translation import pgettext

from rumbo.metrics.evaluation import Scope, team_subtree
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.selectors import team_names
from rumbo.metrics.totals import by_field, fetch, merge, period_rows
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
    months = RollupMonth.objects.visible_to(actor).filter(rollup_q)
    days = RollupDay.objects.visible_to(actor).filter(rollup_q)
    rows = period_rows(months, days, start, end, components, by_field("member_id"))
    return merge(rows, components, exact=False)


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
    return fetch(Member.objects.visible_to(actor).filter(member_q).order_by()
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
