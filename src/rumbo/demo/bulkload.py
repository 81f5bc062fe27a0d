"""Loading tens of millions of rows the way `pg_restore` does: inside the
caller's transaction, set aside the secondary indexes (and on PostgreSQL the
foreign keys) of the tables being filled, load, then build each index once and
check each foreign key with one query. Everything is transactional DDL, so a
failure rolls the schema back with the data. While it runs, the tables are
locked: meant for a dedicated database, not one serving users."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

Out = Callable[[str], object]


def _postgres_parts(cursor: object, tables: Sequence[str]) -> tuple[list[tuple[str, str]], ...]:
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class c ON c.oid = x.indrelid
        WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
          AND NOT x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
        ORDER BY i.relname
        """,
        [list(tables)],
    )
    indexes = [(name, sql) for name, sql in cursor.fetchall()]  # type: ignore[attr-defined]
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.contype = 'f' AND c.relname = ANY(%s)
          AND c.relnamespace = current_schema()::regnamespace
        ORDER BY c.relname, k.conname
        """,
        [list(tables)],
    )
    quote = connection.ops.quote_name
    keys = [
        (f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}",
         f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for table, name, definition in cursor.fetchall()  # type: ignore[attr-defined]
    ]  # fmt: skip
    return indexes, keys


def _sqlite_indexes(cursor: object, tables: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    cursor.execute(  # type: ignore[attr-defined]
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
        list(tables),
    )
    return [(name, sql) for name, sql in cursor.fetchall()]  # type: ignore[attr-defined]


@contextmanager
def bulk_mode(tables: Sequence[str], out: Out) -> Iterator[None]:
    """Set aside secondary indexes (and PostgreSQL foreign keys) of `tables`
    for the duration of the block; must run inside a transaction."""
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Run the foreign-key checks still queued for commit now: a table with
            # pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            indexes, keys = _postgres_parts(cursor, tables)
        else:
            indexes, keys = _sqlite_indexes(cursor, tables), []
        for drop, _add in keys:
            cursor.execute(drop)
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        started = time.monotonic()
        if postgres:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, sql in indexes:
            cursor.execute(sql)
        out(f"  rebuilt {len(indexes)} indexes · {time.monotonic() - started:,.0f} s")
        started = time.monotonic()
        for _drop, add in keys:
            cursor.execute(add)  # validates every row in one query
        if keys:
            out(f"  checked {len(keys)} foreign keys · {time.monotonic() - started:,.0f} s")
