"""Make a slice of a rollup table equal to the rows of a SELECT, writing only
the differences: rows that vanished are deleted, rows whose figures changed are
updated, new rows are inserted; identical rows are left alone.

Why not DELETE then INSERT: deleting millions of rows and inserting the same
keys in one transaction leaves every key twice in the unique index (the dead
row and the new one), so each insert visits a dead row first — a rebuild of
unchanged data took twice as long as the first one, and left the table twice
its size until vacuumed. Comparing the new rows with the current ones in one
pass writes nothing for what did not change. The statements are plain SQL
that SQLite (3.39+; older ones delete and insert) and PostgreSQL both run."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from rumbo.metrics.sql import q

# Rows written by one sync after which PostgreSQL's statistics of the table are renewed.
ANALYZE_AFTER = 50_000


@dataclass(frozen=True)
class Target:
    """A table slice: `table`'s rows of one organisation (and, for a refresh,
    only those matching `scope`, an SQL condition on the alias `r`)."""

    table: str
    organization_id: int
    keys: Sequence[str]
    values: Sequence[str]
    scope: str = ""
    scope_params: tuple[Any, ...] = ()
    fixed: tuple[tuple[str, Any], ...] = ()  # key columns with one value (e.g. source)


@dataclass(frozen=True)
class Written:
    deleted: int
    updated: int
    inserted: int
    # With `sync(report=...)`: (old values..., new values...) of each changed row.
    changes: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.inserted + self.updated


def _run(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(params))
        return int(cursor.rowcount)


def _columns(target: Target) -> list[str]:
    return ["organization_id", *(name for name, _v in target.fixed), *target.keys,
            *target.values]  # fmt: skip


def _has_rows(target: Target) -> bool:
    fixed_cond = "".join(f" AND r.{q(name)} = %s" for name, _value in target.fixed)
    scope = f" AND ({target.scope})" if target.scope else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {q(target.table)} AS r WHERE r.organization_id = %s"
            f"{fixed_cond}{scope} LIMIT 1",
            (target.organization_id, *(v for _n, v in target.fixed), *target.scope_params),
        )
        return cursor.fetchone() is not None


def replace(target: Target, select: str, params: Sequence[Any]) -> Written:
    """Delete the slice and insert the SELECT's rows: two statements, for the
    few keys of a refresh (where the comparison of `sync` costs more than it
    saves)."""
    table = q(target.table)
    fixed_cond = "".join(f" AND {q(name)} = %s" for name, _value in target.fixed)
    fixed_params = tuple(value for _name, value in target.fixed)
    scope = f" AND ({target.scope})" if target.scope else ""
    deleted = _run(
        f"DELETE FROM {table} AS r WHERE r.organization_id = %s{fixed_cond}{scope}",
        (target.organization_id, *fixed_params, *target.scope_params),
    )
    inserted = _run(
        f"INSERT INTO {table} ({', '.join(q(c) for c in _columns(target))}) "
        f"SELECT %s, {''.join('%s, ' for _f in target.fixed)}"
        f"{', '.join(f'n.{q(c)}' for c in [*target.keys, *target.values])} FROM ({select}) AS n",
        (target.organization_id, *fixed_params, *params),
    )
    if connection.vendor == "postgresql" and deleted + inserted > ANALYZE_AFTER:
        _run(f"ANALYZE {table}")
    return Written(deleted, 0, inserted)


def upsert(target: Target, select: str, params: Sequence[Any], columns: Sequence[str]) -> Written:
    """Write the SELECT's rows over the slice's: a new key is inserted, an
    existing one has only `columns` overwritten (the other value columns keep
    what they hold), and the rows this leaves all zero are deleted. For a
    refresh's few keys: no staging table, no second pass over the rows a source
    did not change. Every key of the slice that must change is in the SELECT,
    with zeros when it has nothing left."""
    table = q(target.table)
    fixed_params = tuple(value for _name, value in target.fixed)
    key_columns = _columns(target)[: 1 + len(target.fixed) + len(target.keys)]
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns)
    empty = " AND ".join(f"{q(v)} = 0" for v in target.values)
    returning = connection.features.can_return_rows_from_bulk_insert
    # "WHERE true": SQLite would read ON CONFLICT as part of the SELECT's join otherwise.
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in _columns(target))}) "
        f"SELECT %s, {''.join('%s, ' for _f in target.fixed)}"
        f"{', '.join(f'n.{q(c)}' for c in [*target.keys, *target.values])} FROM ({select}) AS n "
        f"WHERE true ON CONFLICT ({', '.join(q(c) for c in key_columns)}) DO UPDATE SET {updates}"
    )
    if not returning:  # SQLite before 3.35: look for the empty rows afterwards
        written = _run(sql, (target.organization_id, *fixed_params, *params))
        scope = f" AND ({target.scope})" if target.scope else ""
        fixed_cond = "".join(f" AND r.{q(name)} = %s" for name, _value in target.fixed)
        deleted = _run(
            f"DELETE FROM {table} AS r WHERE r.organization_id = %s{fixed_cond}{scope} AND {empty}",
            (target.organization_id, *fixed_params, *target.scope_params),
        )
        return Written(deleted, 0, written)
    # The written rows say which of them are left empty: no second look at the others.
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} RETURNING {', '.join(q(c) for c in key_columns)}, "
            f"CASE WHEN {empty} THEN 1 ELSE 0 END",
            (target.organization_id, *fixed_params, *params),
        )
        rows = cursor.fetchall()
        gone = [row[:-1] for row in rows if row[-1]]
        if gone:
            cursor.executemany(
                f"DELETE FROM {table} WHERE "
                + " AND ".join(f"{q(c)} = %s" for c in key_columns),
                gone,
            )
    return Written(len(gone), 0, len(rows))  # written: inserted or overwritten


def _alone(target: Target) -> bool:
    """Whether no other organisation has rows in the table (two probes of the
    primary key, which leads with the organisation)."""
    table = q(target.table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE organization_id < %s) "
            f"OR EXISTS (SELECT 1 FROM {table} WHERE organization_id > %s)",
            (target.organization_id, target.organization_id),
        )
        row = cursor.fetchone()
    return not (row and row[0])


def load(target: Target, select: str, params: Sequence[Any]) -> Written:
    """Insert every row of an empty slice. When the whole table is empty (the
    first build of an installation, or the demo), PostgreSQL drops the table's
    secondary indexes for the load and builds each once afterwards, as
    pg_restore does: inserting millions of rows in primary-key order keeps the
    primary key's inserts at its right edge, but every row lands at a random
    place of an index on another column. The indexes come back in the same
    transaction (transactional DDL); readers of the table wait for it, which
    costs nobody anything while the table holds no other organisation's rows."""
    if connection.vendor != "postgresql" or not _alone(target):
        return replace(target, select, params)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index AS i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT i.indisunique ORDER BY 1",
            (target.table,),
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    written = replace(target, select, params)
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
    return written


def can_compare() -> bool:
    """Whether the database runs FULL JOIN (SQLite only from 3.39)."""
    return connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 39)


def sync(target: Target, select: str, params: Sequence[Any], report: Sequence[str] = ()) -> Written:
    """`select` yields the slice's key and value columns (named as in the table,
    without the organisation or the fixed columns), cast to the table's types.

    One FULL JOIN of the new rows with the slice's current rows keeps only the
    differences (PostgreSQL merges the two, both in key order, without sorting),
    in a temporary table; three statements then apply them. `report` names
    value columns whose old and new values of each changed row are returned."""
    if not can_compare():
        return replace(target, select, params)  # no FULL JOIN before SQLite 3.39
    if not report and not _has_rows(target):
        return load(target, select, params)  # nothing to compare with: insert them all
    diff = q(f"metrics_diff_{secrets.token_hex(6)}")
    table = q(target.table)
    fixed_cond = "".join(f" AND r.{q(name)} = %s" for name, _value in target.fixed)
    fixed_params = tuple(value for _name, value in target.fixed)
    mine = f"r.organization_id = %s{fixed_cond}"
    mine_params = (target.organization_id, *fixed_params)
    scope = f" AND ({target.scope})" if target.scope else ""
    first_key = q(target.keys[0])
    keys = [q(k) for k in target.keys]
    values = [q(v) for v in target.values]
    current = (f"SELECT {', '.join(f'r.{c}' for c in keys + values)} FROM {table} AS r "
               f"WHERE {mine}{scope}")  # fmt: skip
    _run(
        f"CREATE TEMPORARY TABLE {diff} AS SELECT "
        + ", ".join(f"COALESCE(n.{k}, r.{k}) AS {k}" for k in keys)
        + "".join(f", n.{v} AS {v}" for v in values)
        + "".join(f", r.{q(c)} AS {q('old_' + c)}" for c in report)
        + f", CASE WHEN n.{first_key} IS NULL THEN 'd' WHEN r.{first_key} IS NULL THEN 'i' "
        f"ELSE 'u' END AS op FROM ({select}) AS n FULL JOIN ({current}) AS r ON "
        + " AND ".join(f"n.{k} = r.{k}" for k in keys)
        + f" WHERE n.{first_key} IS NULL OR r.{first_key} IS NULL OR "
        + " OR ".join(f"n.{v} <> r.{v}" for v in values),
        (*params, *mine_params, *target.scope_params),
    )
    join = " AND ".join(f"r.{k} = d.{k}" for k in keys)
    if connection.vendor == "postgresql":
        _run(f"ANALYZE {diff}")  # how many differences there are decides the joins below
    changes: list[tuple[Any, ...]] = []
    try:
        if report:
            with connection.cursor() as cursor:
                olds = ", ".join(q("old_" + c) for c in report)
                cursor.execute(f"SELECT {olds}, {', '.join(q(c) for c in report)} FROM {diff}")
                changes = [tuple(row) for row in cursor.fetchall()]
        deleted = _run(
            f"DELETE FROM {table} AS r WHERE {mine} AND EXISTS "
            f"(SELECT 1 FROM {diff} AS d WHERE d.op = 'd' AND {join})",
            mine_params,
        )
        updated = _run(
            f"UPDATE {table} AS r SET {', '.join(f'{v} = d.{v}' for v in values)} "
            f"FROM {diff} AS d WHERE {mine} AND d.op = 'u' AND {join}",
            mine_params,
        )
        inserted = _run(
            f"INSERT INTO {table} ({', '.join(q(c) for c in _columns(target))}) "
            f"SELECT %s, {''.join('%s, ' for _f in target.fixed)}"
            f"{', '.join(f'd.{c}' for c in keys + values)} FROM {diff} AS d WHERE d.op = 'i'",
            (target.organization_id, *fixed_params),
        )
    finally:
        _run(f"DROP TABLE {diff}")
    if connection.vendor == "postgresql" and deleted + updated + inserted > ANALYZE_AFTER:
        _run(f"ANALYZE {table}")  # so that reads and the next rebuild plan with real sizes
    return Written(deleted, updated, inserted, changes)
