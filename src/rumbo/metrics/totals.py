"""THE reader of rollup totals: component sums over a period, per group, from
the month rows for the whole calendar months of the period and the day rows
for its ragged edges — at most two grouped queries whatever the period and
however many components are asked for. Every reader of totals goes through
it: evaluations and dashboards (`selectors.component_totals`), scorecards and
leaderboards (`people_totals.component_totals`), goals (`goals.actuals`, the
forecasts' weekly history through `week_rows`) and the demo's scorecard.

The caller hands the two base querysets (already narrowed to what the asker
may see: an access-scoped manager for people, an organisation for a job) and
says how to group (a field or expression per table, or None for one total).
Rows come back as tuples, fetched on PostgreSQL through the cursor without
Django's per-row converters (ten thousand reps mean ten thousand rows; the
driver already returns integers and Decimals)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateField, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast

from rumbo.metrics.evaluation import month_end
from rumbo.metrics.models import RollupDay, RollupMonth
from rumbo.metrics.sql import DaysBetween, compiled

# How to group one table's rows: given the table's date field ("month" or
# "day"), an expression or field name, or None for one total.
Grouping = Callable[[str], Any] | None
Totals = dict[str, Any]
Span = tuple[date, date]


def split_period(start: date, end: date) -> tuple[Span | None, list[Span]]:
    """The whole calendar months inside [start, end] (first day of the first and
    of the last month), and the ragged day ranges around them."""
    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = end if end == month_end(end) else end.replace(day=1) - timedelta(days=1)
    if first > last:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if last < end:
        edges.append((last + timedelta(days=1), end))
    return (first, last.replace(day=1)), edges


def fetch(qs: Any) -> list[tuple[Any, ...]]:
    """A values_list queryset's rows as tuples (see the module's docstring)."""
    if connection.vendor != "postgresql":
        return list(qs)  # SQLite sums decimals as floats: Django's converters make them exact
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _grouped(qs: QuerySet[Any], group: Any, components: Sequence[str]) -> list[tuple[Any, ...]]:
    names = [f"s{i}" for i in range(len(components))]
    sums = {name: Sum(c) for name, c in zip(names, components, strict=True)}
    if group is None:
        found = qs.aggregate(**sums)
        return [(None, *(found[name] for name in names))]
    if isinstance(group, str):  # a plain column: the driver's values need no converting
        return fetch(qs.values(group).annotate(**sums).values_list(group, *names).order_by())
    # An expression (a month or a week of a date) keeps Django's converters: on
    # PostgreSQL DATE_TRUNC gives a timestamp that they turn back into a date.
    keyed = qs.annotate(group_key=group).values("group_key").annotate(**sums)
    return list(keyed.values_list("group_key", *names).order_by())


def period_rows(months: QuerySet[RollupMonth], days: QuerySet[RollupDay], start: date,
                end: date, components: Sequence[str], group: Grouping,
                whole_days: bool = False) -> list[tuple[Any, ...]]:  # fmt: skip
    """Rows of (group key, *component sums) over [start, end]: one from the
    month rows of the whole months, one from the day rows of the edges (a key
    may appear in both; `merge` adds them up). `whole_days`: read every day
    row of the period (weeks straddle months)."""
    rows: list[tuple[Any, ...]] = []
    if start > end:
        return rows
    whole, edges = (None, [(start, end)]) if whole_days else split_period(start, end)
    if whole is not None:
        in_months = months.filter(month__gte=whole[0], month__lte=whole[1])
        rows += _grouped(in_months, group("month") if group else None, components)
    if edges:
        ranges = Q()
        for low, high in edges:
            ranges |= Q(day__gte=low, day__lte=high)
        rows += _grouped(days.filter(ranges), group("day") if group else None, components)
    return rows


def merge(rows: list[tuple[Any, ...]], components: Sequence[str],
          exact: bool = True) -> dict[Any, Totals]:  # fmt: skip
    """Totals per key from `period_rows`. `exact`: every sum a Decimal (zero
    for none), else as the database gave them (integers and Decimals: the
    scores' float arithmetic takes either)."""
    totals: dict[Any, Totals] = {}
    zero = Decimal(0)
    for key, *sums in rows:
        values = [zero if v is None else Decimal(v) for v in sums] if exact else sums
        found = totals.get(key)
        if found is None:
            totals[key] = dict(zip(components, values, strict=True))
        else:
            for c, v in zip(components, values, strict=True):
                found[c] = (found[c] or 0) + (v or 0)
    return totals


def by_field(name_in_month: str, name_in_day: str | None = None) -> Grouping:
    """Group by a plain column (the same name in both tables unless told)."""
    return lambda table: name_in_month if table == "month" else (name_in_day or name_in_month)


def week_rows(days: QuerySet[RollupDay], first: date, weeks: int, group: str,
              components: Sequence[str]) -> list[tuple[Any, ...]]:  # fmt: skip
    """Rows of (group key, week number, *component sums as floats) for the
    `weeks` whole weeks from `first` (a Monday), week 0 first. Floats, read
    through the cursor without the ORM's converters on both databases: they
    only feed a forecast's mean and spread, and 10,000 reps have 120,000 rows."""
    until = first + timedelta(weeks=weeks)
    rows = (
        days.filter(day__gte=first, day__lt=until)
        .annotate(week=DaysBetween(Value(first, output_field=DateField()), F("day")) / 7)
        .values(group, "week")
        .annotate(**{f"s_{c}": Cast(Sum(c), FloatField()) for c in components})
        .order_by()
    )
    with connection.cursor() as cursor:
        cursor.execute(*compiled(rows))
        return cursor.fetchall()


def month_rows(months: QuerySet[RollupMonth], first: date, until: date, group: str,
               components: Sequence[str]) -> list[tuple[Any, ...]]:  # fmt: skip
    """Rows of (group key, month, *component sums as floats) for the whole
    months from `first` up to (not including) `until`, both first days of a
    month: a goal forecast's seasons and longer windows (goals.actuals)."""
    rows = (
        months.filter(month__gte=first, month__lt=until)
        .values(group, "month")
        .annotate(**{f"s_{c}": Cast(Sum(c), FloatField()) for c in components})
        .values_list(group, "month", *(f"s_{c}" for c in components))
        .order_by()
    )
    return list(rows)
