"""Reads of the metrics engine: evaluate any metric for a scope, a period and a
grouping, through the asking member's access scope.

Additive metrics read the rollups: the month rows for the whole calendar months
of the period, the day rows for its ragged edges (every day row when grouping
by week, since weeks straddle months), so two rollup queries whatever the
period; then the metric's formula runs on the component totals of each group.
Source-computed metrics (snapshots, distinct counts) run their own queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rumbo.metrics import registry
from rumbo.metrics import totals as rollup_totals
from rumbo.metrics.evaluation import (
    Bucket,
    Context,
    GroupBy,
    Scope,
    buckets,
    scope_filter,
)
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.totals import split_period
from rumbo.tenancy.models import Member, Team

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Row:
    """One group's value: `key` is a member id, team id, the week's Monday, the
    month's first day, or None (no grouping); `name` is how people read it."""

    key: Any
    name: str
    value: Decimal | None


@dataclass(frozen=True)
class Evaluation:
    metric: registry.Metric
    scope: Scope
    start: date
    end: date
    group_by: GroupBy
    rows: list[Row]


def _group(group_by: GroupBy, day_field: str) -> Any:
    if group_by == "rep":
        return F("member_id")
    if group_by == "team":
        return F("member__team_id")
    if group_by == "month":
        return F(day_field) if day_field == "month" else TruncMonth(day_field)
    if group_by == "week":
        return TruncWeek(day_field)
    return None


def component_totals(*, actor: Member, scope: Scope, components: Iterable[str], start: date,
                     end: date, group_by: GroupBy) -> dict[Any, dict[str, Decimal]]:  # fmt: skip
    """Totals of `components` per group, from the month rows and the edge day
    rows (metrics.totals, the one reader): two queries whatever the period, for
    as many metrics as need them."""
    components = list(dict.fromkeys(components))
    in_scope = scope_filter(actor, scope)
    months = RollupMonth.objects.visible_to(actor).filter(in_scope)
    days = RollupDay.objects.visible_to(actor).filter(in_scope)
    group = None if group_by is None else (lambda table: _group(group_by, table))
    rows = rollup_totals.period_rows(months, days, start, end, components, group,
                                     whole_days=group_by == "week")  # fmt: skip
    return rollup_totals.merge(rows, components)


def _totals(actor: Member, scope: Scope, metric: registry.Metric, start: date, end: date,
            group_by: GroupBy) -> dict[Any, dict[str, Decimal]]:  # fmt: skip
    return component_totals(actor=actor, scope=scope, components=metric.components, start=start,
                            end=end, group_by=group_by)  # fmt: skip


def rounded(value: Decimal | None, unit: str) -> Decimal | None:
    """Whole counts, cents for everything else."""
    if value is None:
        return None
    if unit == "count":
        return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def team_names(actor: Member, keys: Iterable[int | None]) -> dict[int | None, str]:
    """Names of the teams figures are grouped by (None: "No team"). Read across
    the organisation: the teams of the members the actor sees, and a manager
    outside the team he manages still sees his own records grouped under his
    own team's name."""
    ids = [k for k in keys if k is not None]
    names: dict[int | None, str] = dict(
        Team.objects.filter(organization_id=actor.organization_id, pk__in=ids)
        .values_list("id", "name")
    )  # fmt: skip
    names[None] = _("No team")
    return names


def _names(group_by: GroupBy, keys: Iterable[Any], actor: Member) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if group_by == "rep":
        return dict(Member.objects.visible_to(actor).filter(pk__in=keys)
                    .values_list("id", "name"))  # fmt: skip
    if group_by == "team":
        return team_names(actor, keys)
    if group_by == "month":
        return {k: f"{k:%Y-%m}" for k in keys}
    if group_by == "week":
        return {k: "{}-W{:02d}".format(*k.isocalendar()[:2]) for k in keys}
    return {None: pgettext("everyone", "All")}


def evaluate(*, actor: Member, metric: registry.Metric, scope: Scope | None = None,
             start: date, end: date, group_by: GroupBy = None) -> Evaluation:  # fmt: skip
    """The metric's value per group, over the members of `scope` that `actor`
    may see. Grouping by week or month lists every bucket of the period (a
    chart's x axis); by rep or team, the groups with any figure. A scope's team
    or rep the actor cannot see raises Http404."""
    scope = scope or Scope()
    slices = buckets(start, end, group_by)
    if metric.formula is not None:
        totals = _totals(actor, scope, metric, start, end, group_by)
        if group_by in ("week", "month"):
            empty = dict.fromkeys(metric.components, Decimal(0))
            for bucket in slices:
                totals.setdefault(bucket.key, dict(empty))
        values = {key: metric.formula(t) for key, t in totals.items()}
    else:
        assert metric.compute is not None
        context = Context(actor=actor, scope=scope, start=start, end=end, group_by=group_by,
                          buckets=slices)  # fmt: skip
        scope_filter(actor, scope)  # a scope the actor cannot see answers 404 here too
        values = metric.compute(context)
    names = _names(group_by, values, actor)
    rows = [Row(key, names.get(key, str(key)), rounded(value, metric.unit))
            for key, value in values.items()]  # fmt: skip
    rows.sort(key=_order(group_by))
    return Evaluation(metric, scope, start, end, group_by, rows)


def _order(group_by: GroupBy) -> Any:
    if group_by in ("week", "month"):
        return lambda row: row.key
    return lambda row: (row.key is None, row.name.lower(), str(row.key))


__all__ = ["Bucket", "Evaluation", "Row", "component_totals", "evaluate", "rounded",
           "split_period", "team_names"]
