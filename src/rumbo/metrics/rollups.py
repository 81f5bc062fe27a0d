"""The statements that fill the rollup tables: set-based INSERT … SELECT … GROUP BY,
generated from the registry, the same on SQLite and PostgreSQL.

A rebuild fills an organisation's rows from scratch; a refresh recomputes only
the (rep, day) keys of one batch in `DirtyKey` (and the rep-months holding
them). Both recompute from the source rows, never by adding deltas, so running
either twice gives the same rows."""

from __future__ import annotations

import calendar
import zoneinfo
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncDate, TruncMonth

from rumbo.metrics import registry
from rumbo.metrics.models import DirtyKey, FirstFact, RollupDay, RollupMonth
from rumbo.metrics.sql import compiled, q
from rumbo.tenancy.models import Organization

CHUNK = 5000  # ids per IN (...) list: below SQLite's bound-parameter limit


def _day_expression(model: Any, day: str, organization: Organization) -> Any:
    """The local date a row is attributed to: its date column, or its timestamp
    read in the organisation's time zone."""
    from django.db import models

    if isinstance(model._meta.get_field(day), models.DateTimeField):
        return TruncDate(day, tzinfo=zoneinfo.ZoneInfo(organization.time_zone))
    return F(day)


def _in_batch(batch: int | None) -> Any:
    """Rows whose (metric_member, metric_day) is a key of the batch."""
    return Exists(
        DirtyKey.objects.filter(
            batch=batch, member_id=OuterRef("metric_member"), day=OuterRef("metric_day")
        )
    )


def _keyed(qs: QuerySet[Any], member: str, day: Any, batch: int | None) -> QuerySet[Any]:
    qs = qs.annotate(metric_member=F(member), metric_day=day)
    return qs.filter(_in_batch(batch)) if batch is not None else qs


def _source_select(source: registry.Source, org: Organization, batch: int | None) -> Any:
    qs = source.model._base_manager.filter(organization_id=org.pk).filter(source.where)
    qs = _keyed(qs, source.member, _day_expression(source.model, source.day, org), batch)
    qs = qs.values("metric_member", "metric_day").annotate(**source.components).order_by()
    return compiled(qs), list(source.components)


def _first_select(first: registry.FirstOf, org: Organization, batch: int | None) -> Any:
    qs: QuerySet[Any] = FirstFact.objects.filter(organization_id=org.pk, source=first.key)
    qs = _keyed(qs, "member_id", F("day"), batch)
    qs = (
        qs.values("metric_member", "metric_day")
        .annotate(
            **{first.count_component: Count("fact_id"), first.value_component: Sum("value")}
        )  # fmt: skip
        .order_by()
    )
    return compiled(qs), list(first.components)


def _execute(sql: str, params: Iterable[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(params))
        return int(cursor.rowcount)


def insert_days(org: Organization, batch: int | None) -> int:
    """One INSERT … SELECT: every source grouped by rep × day, stacked with
    UNION ALL (zeros for the components a source does not feed), then summed
    per rep × day."""
    columns = registry.component_keys()
    selects = [_source_select(s, org, batch) for s in registry.SOURCES.values()]
    selects += [_first_select(f, org, batch) for f in registry.FIRSTS.values()]
    branches, params = [], []
    for (inner, inner_params), own in selects:
        values = ", ".join(f"s.{q(c)}" if c in own else f"0 AS {q(c)}" for c in columns)
        branches.append(
            f"SELECT s.metric_member AS member_id, s.metric_day AS day, {values} "
            f"FROM ({inner}) AS s"
        )
        params.extend(inner_params)
    sums = ", ".join(f"COALESCE(SUM(u.{q(c)}), 0)" for c in columns)
    sql = (
        f"INSERT INTO {q(RollupDay._meta.db_table)} "
        f"(organization_id, member_id, day, {', '.join(q(c) for c in columns)}) "
        f"SELECT %s, u.member_id, u.day, {sums} FROM ({' UNION ALL '.join(branches)}) AS u "
        f"GROUP BY u.member_id, u.day"
    )
    return _execute(sql, [org.pk, *params])


def insert_months(org: Organization, batch: int | None) -> int:
    """Month rows from the day rows (of the batch's rep-months, or all)."""
    columns = registry.component_keys()
    qs: QuerySet[Any] = RollupDay.objects.filter(organization_id=org.pk)
    if batch is not None:
        qs = qs.filter(
            Exists(
                DirtyKey.objects.filter(
                    batch=batch,
                    member_id=OuterRef("member_id"),
                    day__lte=OuterRef("day"),
                    last_day__gte=OuterRef("day"),
                )
            )  # fmt: skip
        )
    qs = (
        qs.annotate(metric_month=TruncMonth("day"))
        .values("member_id", "metric_month")
        .annotate(**{f"sum_{c}": Sum(c) for c in columns})
        .order_by()
    )
    inner, params = compiled(qs)
    sums = ", ".join("s." + q("sum_" + c) for c in columns)
    sql = (
        f"INSERT INTO {q(RollupMonth._meta.db_table)} "
        f"(organization_id, member_id, month, {', '.join(q(c) for c in columns)}) "
        f"SELECT %s, s.member_id, s.metric_month, {sums} FROM ({inner}) AS s"
    )
    return _execute(sql, [org.pk, *params])


def insert_firsts(first: registry.FirstOf, org: Organization, partitions: list[int] | None) -> int:
    """The first row of each partition (all, or the listed ones) into FirstFact."""
    qs = first.model._base_manager.filter(organization_id=org.pk).filter(first.where)
    qs = qs.filter(**{f"{first.partition}__isnull": False})
    if partitions is not None:
        qs = qs.filter(**{f"{first.partition}__in": partitions})
    qs = qs.annotate(
        metric_rank=Window(
            RowNumber(),
            partition_by=[F(first.partition)],
            order_by=[F(name).asc() for name in first.order],
        )
    ).values(
        "metric_rank", metric_partition=F(first.partition), metric_fact=F("pk"),
        metric_member=F(first.member), metric_day=_day_expression(first.model, first.day, org),
        metric_value=F(first.value),
    ).order_by()  # fmt: skip
    inner, params = compiled(qs)
    sql = (
        f"INSERT INTO {q(FirstFact._meta.db_table)} "
        f"(organization_id, source, partition_id, fact_id, member_id, day, value) "
        f"SELECT %s, %s, s.metric_partition, s.metric_fact, s.metric_member, s.metric_day, "
        f"COALESCE(s.metric_value, 0) FROM ({inner}) AS s WHERE s.metric_rank = 1"
    )
    return _execute(sql, [org.pk, first.key, *params])


def refresh_firsts(first: registry.FirstOf, org: Organization, batch: int) -> set[tuple[int, date]]:
    """Recompute the first rows of every partition that has a row, or had its
    first row, on a key of the batch; return the keys where a first row was or
    now is (an older deal imported late moves a customer's first purchase)."""
    at_keys = FirstFact.objects.filter(organization_id=org.pk, source=first.key)
    partitions = set(
        _keyed(at_keys, "member_id", F("day"), batch).values_list("partition_id", flat=True)
    )
    facts = first.model._base_manager.filter(organization_id=org.pk).filter(first.where)
    facts = _keyed(facts, first.member, _day_expression(first.model, first.day, org), batch)
    partitions |= set(
        facts.filter(**{f"{first.partition}__isnull": False}).values_list(
            first.partition, flat=True
        )
    )
    keys: set[tuple[int, date]] = set()
    ordered = sorted(partitions)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = FirstFact.objects.filter(
            organization_id=org.pk, source=first.key, partition_id__in=chunk
        )
        keys |= set(rows.values_list("member_id", "day"))
        rows.delete()
        insert_firsts(first, org, chunk)
        keys |= set(rows.values_list("member_id", "day"))
    return keys


def month_span(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def keyed_rollups(qs: QuerySet[Any], batch: int) -> QuerySet[Any]:
    """Day rollup rows on a key of the batch."""
    return qs.filter(
        Exists(DirtyKey.objects.filter(
            batch=batch, member_id=OuterRef("member_id"), day=OuterRef("day")))
    )  # fmt: skip


def keyed_months(organization_id: int, batch: int) -> QuerySet[Any]:
    """Month rollup rows of the batch's rep-months (keys hold the month's first day)."""
    return RollupMonth.objects.filter(organization_id=organization_id).filter(
        Exists(DirtyKey.objects.filter(
            batch=batch, member_id=OuterRef("member_id"), day=OuterRef("month")))
    )  # fmt: skip
