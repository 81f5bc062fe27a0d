"""The SELECTs that compute rollup rows, generated from the registry (the
registered ORM aggregates compile to the same definitions on SQLite and
PostgreSQL), and the writes that make the rollup tables equal to them
(`sync`: set-based, only the differences).

A rebuild computes an organisation's rows from scratch; a refresh only the
(rep, day) keys of one batch in `DirtyKey` and the rep-months holding them.
Both recompute from the source rows, never by adding deltas, so running either
twice gives the same rows."""

from __future__ import annotations

import zoneinfo
from datetime import date
from typing import Any

from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncDate, TruncMonth

from rumbo.metrics import registry
from rumbo.metrics.models import DirtyKey, FirstFact, RollupDay, RollupMonth
from rumbo.metrics.sql import compiled, month_first, month_last, q
from rumbo.metrics.sync import Target, Written, can_compare, replace, sync, upsert
from rumbo.tenancy.models import Organization

# Ids per IN (...) list: below SQLite's bound-parameter limit; PostgreSQL takes more.
CHUNK = {"sqlite": 5000}
Select = tuple[str, list[Any]]


def _day_expression(model: Any, day: str, organization: Organization) -> Any:
    """The local date a row is attributed to: its date column, or its timestamp
    read in the organisation's time zone."""
    if isinstance(model._meta.get_field(day), models.DateTimeField):
        return TruncDate(day, tzinfo=zoneinfo.ZoneInfo(organization.time_zone))
    return F(day)


def _keyed(qs: QuerySet[Any], member: str, day: Any, batch: int | None) -> QuerySet[Any]:
    """Annotate the rep and day of each row; keep the batch's keys only, if given."""
    qs = qs.annotate(metric_member=F(member), metric_day=day)
    if batch is None:
        return qs
    return qs.filter(Exists(DirtyKey.objects.filter(
        batch=batch, member_id=OuterRef("metric_member"), day=OuterRef("metric_day"))))  # fmt: skip


def _db_type(model: type[models.Model], column: str) -> str:
    return str(model._meta.get_field(column).db_type(connection))


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


def _keys_branch(batch: int) -> Any:
    """The batch's keys with no figures: a key whose sources have no row any
    more still gets a row (of zeros) to overwrite its old figures with."""
    sql = (f"SELECT d.member_id AS metric_member, d.day AS metric_day "
           f"FROM {q(DirtyKey._meta.db_table)} AS d WHERE d.batch = %s")  # fmt: skip
    return (sql, (batch,)), []


def days_select(
    org: Organization, batch: int | None, sources: frozenset[str] | None = None
) -> Select:
    """Every source grouped by rep × day, stacked with UNION ALL, summed per rep × day.
    With `sources` (a refresh's batch only), only those sources are computed and
    the other columns are zero (the refresh writes only the computed columns).
    A batch's select has a row for each of its keys, zeros where nothing is left."""
    columns = registry.component_keys()
    chosen = [s for k, s in registry.SOURCES.items() if sources is None or k in sources]
    firsts = [f for k, f in registry.FIRSTS.items() if sources is None or k in sources]
    selects = [_source_select(s, org, batch) for s in chosen]
    selects += [_first_select(f, org, batch) for f in firsts]
    if batch is not None:
        selects.append(_keys_branch(batch))
    # Every branch casts every column to one type and leaves the other sources'
    # columns NULL: NULLs cost no bytes in the rows the final GROUP BY reads, and
    # identical types let PostgreSQL merge the branches (each already sorted by
    # rep and day) instead of sorting all of their rows again.
    wide = {c: "bigint" if _db_type(RollupDay, c) == "integer" else "numeric" for c in columns}
    branches, params = [], []
    for (inner, inner_params), own in selects:
        values = ", ".join(
            f"CAST({'s.' + q(c) if c in own else 'NULL'} AS {wide[c]}) AS {q(c)}" for c in columns
        )
        branches.append(
            f"SELECT s.metric_member AS member_id, s.metric_day AS day, {values} "
            f"FROM ({inner}) AS s"
        )
        params.extend(inner_params)
    sums = ", ".join(
        f"CAST(COALESCE(SUM(u.{q(c)}), 0) AS {_db_type(RollupDay, c)}) AS {q(c)}" for c in columns
    )
    sql = (
        f"SELECT u.member_id AS member_id, u.day AS day, {sums} "
        f"FROM ({' UNION ALL '.join(branches)}) AS u GROUP BY u.member_id, u.day"
    )
    return sql, params


def months_select(org: Organization, batch: int | None) -> Select:
    """Month rows from the day rows (of the batch's rep-months, or all)."""
    columns = registry.component_keys()
    if batch is not None:
        # Each queued rep-month reads its days through the primary key; one
        # left without days gets zeros (and is then deleted, see write_months).
        sums = ", ".join(
            f"CAST(COALESCE(SUM(r.{q(c)}), 0) AS {_db_type(RollupMonth, c)}) AS {q(c)}"
            for c in columns
        )
        sql = (
            f"SELECT d.member_id AS member_id, d.day AS month, {sums} "
            f"FROM {q(DirtyKey._meta.db_table)} AS d LEFT JOIN {q(RollupDay._meta.db_table)} AS r "
            f"ON r.organization_id = %s AND r.member_id = d.member_id AND r.day >= d.day "
            f"AND r.day <= d.last_day WHERE d.batch = %s GROUP BY d.member_id, d.day"
        )
        return sql, [org.pk, batch]
    qs: QuerySet[Any] = RollupDay.objects.filter(organization_id=org.pk)
    qs = (
        qs.annotate(metric_month=TruncMonth("day"))
        .values("member_id", "metric_month")
        .annotate(**{f"sum_{c}": Sum(c) for c in columns})
        .order_by()
    )
    inner, params = compiled(qs)
    sums = ", ".join(
        f"CAST(s.{q('sum_' + c)} AS {_db_type(RollupMonth, c)}) AS {q(c)}" for c in columns
    )
    sql = f"SELECT s.member_id AS member_id, s.metric_month AS month, {sums} FROM ({inner}) AS s"
    return sql, list(params)


def firsts_select(
    first: registry.FirstOf, org: Organization, partitions: list[int] | None
) -> Select:
    """The first row of each partition (all, or the listed ones)."""
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
        f"SELECT s.metric_partition AS partition_id, s.metric_fact AS fact_id, "
        f"s.metric_member AS member_id, s.metric_day AS day, "
        f"CAST(COALESCE(s.metric_value, 0) AS {_db_type(FirstFact, 'value')}) AS value "
        f"FROM ({inner}) AS s WHERE s.metric_rank = 1"
    )
    return sql, list(params)


# Compiling the registered querysets costs more than running them for the few
# keys of a refresh, so each statement is compiled once per database, time zone
# and kind, with marker values that are swapped for the real ones.
_ORG_MARK, _BATCH_MARK = -4_004_000_001, -4_004_000_002
_compiled: dict[tuple[Any, ...], Select] = {}


def _cached(build: Any, org: Organization, batch: int | None, *more: Any) -> Select:
    key = (build.__name__, connection.alias, connection.vendor, org.time_zone, batch is None,
           *more)  # fmt: skip
    if key not in _compiled:
        marker = Organization(pk=_ORG_MARK, time_zone=org.time_zone)
        _compiled[key] = build(marker, None if batch is None else _BATCH_MARK, *more)
    sql, params = _compiled[key]
    real = {_ORG_MARK: org.pk, _BATCH_MARK: batch}
    return sql, [real.get(p, p) if isinstance(p, int) else p for p in params]


def _batch_scope(day_column: str) -> str:
    return (f"EXISTS (SELECT 1 FROM {q(DirtyKey._meta.db_table)} AS d WHERE d.batch = %s "
            f"AND d.member_id = r.member_id AND d.day = r.{q(day_column)})")  # fmt: skip


def fresh_columns(sources: frozenset[str] | None) -> list[str]:
    """The components that `sources` compute (None: every source's)."""
    every: dict[str, registry.Source | registry.FirstOf] = {**registry.SOURCES, **registry.FIRSTS}
    chosen = [every[k] for k in every if sources is None or k in sources]
    return [c for found in chosen for c in found.components]


def write_days(
    org: Organization, batch: int | None, sources: frozenset[str] | None = None
) -> Written:
    """All of the organisation's day rows (batch None), or the batch's: the
    columns of `sources` (None: all) are overwritten in place or inserted, the
    others' columns kept as they are, and rows left all zero are deleted."""
    target = Target(
        RollupDay._meta.db_table, org.pk, ["member_id", "day"], registry.component_keys(),
        scope=_batch_scope("day") if batch is not None else "",
        scope_params=(batch,) if batch is not None else (),
    )  # fmt: skip
    if batch is None:
        return sync(target, *_cached(days_select, org, batch))
    return upsert(target, *_cached(days_select, org, batch, sources), fresh_columns(sources))


def write_months(org: Organization, batch: int | None) -> Written:
    """Batch keys for months hold the month's first day (and `last_day`)."""
    target = Target(
        RollupMonth._meta.db_table, org.pk, ["member_id", "month"], registry.component_keys(),
        scope=_batch_scope("month") if batch is not None else "",
        scope_params=(batch,) if batch is not None else (),
    )  # fmt: skip
    if batch is None:
        return sync(target, *_cached(months_select, org, batch))
    return upsert(target, *_cached(months_select, org, batch), registry.component_keys())


def write_firsts(first: registry.FirstOf, org: Organization, partitions: list[int] | None,
                 report: tuple[str, ...] = ()) -> Written:  # fmt: skip
    marks = ", ".join("%s" for _p in partitions or ())
    target = Target(
        FirstFact._meta.db_table, org.pk, ["partition_id"],
        ["fact_id", "member_id", "day", "value"],
        scope=f"r.partition_id IN ({marks})" if partitions is not None else "",
        scope_params=tuple(partitions or ()), fixed=(("source", first.key),),
    )  # fmt: skip
    select, params = firsts_select(first, org, partitions)
    if partitions is not None and not report:
        return replace(target, select, params)
    return sync(target, select, params, report=report)


def _firsts_before(first: registry.FirstOf, org: Organization) -> QuerySet[Any]:
    """The current first row of the outer row's partition, where it sorts
    strictly before the outer row: (day, id) < (its day, its id), the order
    every FirstOf has (see registry.register_first), kept on the first row. A
    first row whose source row moved or went away is found through its old key
    instead (`were` in refresh_firsts), so a stale one here never hides a change."""
    day, pk = first.order
    earlier = Q(day__lt=OuterRef(day)) | Q(day=OuterRef(day), fact_id__lt=OuterRef(pk))
    return FirstFact.objects.filter(
        earlier, organization_id=org.pk, source=first.key, partition_id=OuterRef(first.partition)
    )


def refresh_firsts(first: registry.FirstOf, org: Organization, batch: int) -> set[tuple[int, date]]:
    """Recompute the first rows of every partition that has a row, or had its
    first row, on a key of the batch; return the keys where a first row was or
    now is (an older deal imported late moves a customer's first purchase)."""
    at_keys = FirstFact.objects.filter(organization_id=org.pk, source=first.key)
    were = _keyed(at_keys, "member_id", F("day"), batch).values_list("partition_id", flat=True)
    facts = first.model._base_manager.filter(organization_id=org.pk).filter(first.where)
    facts = _keyed(facts, first.member, _day_expression(first.model, first.day, org), batch)
    facts = facts.filter(**{f"{first.partition}__isnull": False})
    # A row that sorts after its partition's current first row cannot be the
    # first: most new deals are repeat purchases, whose customer needs no window.
    are = facts.exclude(Exists(_firsts_before(first, org))).values_list(first.partition, flat=True)
    # One round trip, and no ORDER BY from the models' default ordering.
    partitions = set(were.order_by().union(are.order_by()))
    keys: set[tuple[int, date]] = set()
    ordered, size = sorted(partitions), CHUNK.get(connection.vendor, 50_000)
    for start in range(0, len(ordered), size):
        chunk = ordered[start : start + size]
        if can_compare():  # write only the changed first rows; they say where they were
            written = write_firsts(first, org, chunk, report=("member_id", "day"))
            for old_member, old_day, new_member, new_day in written.changes:
                keys |= {(old_member, old_day), (new_member, new_day)}
            continue
        rows = FirstFact.objects.filter(
            organization_id=org.pk, source=first.key, partition_id__in=chunk
        )
        before = set(rows.values_list("member_id", "day", "fact_id"))
        write_firsts(first, org, chunk)
        after = set(rows.values_list("member_id", "day", "fact_id"))
        keys |= {(m, d) for m, d, _fact in before ^ after}
    keys.discard((None, None))
    return keys


def queue_months(batch: int, month_batch: int) -> None:
    """Queue, once each, the rep-months holding the batch's rep-days (first and last day)."""
    table = q(DirtyKey._meta.db_table)
    _run(
        f"INSERT INTO {table} (organization_id, member_id, day, last_day, batch) "
        f"SELECT DISTINCT organization_id, member_id, {month_first('day')}, {month_last('day')}, "
        f"%s FROM {table} WHERE batch = %s",
        [month_batch, batch],
    )


def _run(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
