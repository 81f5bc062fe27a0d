"""A first load into an empty table: its secondary indexes and foreign keys are
set aside while the rows go in, and rebuilt afterwards, in the same transaction.

Inserting a million rows one by one into a table with seven secondary indexes
and three deferred foreign keys costs a random B-tree insertion per index and a
trigger (an index probe on the referenced table) per key, per row. Building an
index from a sorted scan and checking a foreign key with one anti-join over the
whole table cost a fraction of that. Nothing is weakened: the unique indexes
and the primary key stay in place during the load, every foreign key is
checked again when it is re-added (the import fails, and everything rolls back,
if any row breaks one), and the index and constraint definitions are read back
from the database's catalogue, so they come back exactly as they were.

Only when the table holds no row of ANY organisation (the first migration into
a new installation), the import is large (`FIRST_LOAD_ROWS`), and on
PostgreSQL and SQLite, whose DDL is transactional. It takes an ACCESS EXCLUSIVE
lock on the table for the rest of the transaction (nobody else reads or writes
it meanwhile — acceptable while the table is empty, never on a live table),
and re-adding a foreign key briefly blocks writes to the referenced table
(members, customers, organisations). See docs/imports.md, "Large files"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction

# Below this many new rows the ordinary path is as fast and locks nothing.
FIRST_LOAD_ROWS = 20_000
# Memory for the index builds of a first load (PostgreSQL), unless more is set.
BUILD_MEMORY_MB = 256


def _empty(cursor: Any, table: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
    return cursor.fetchone() is None


@contextmanager
def indexes_aside(table: str, new_rows: int) -> Iterator[bool]:
    """Around the INSERT of a first load: yields whether the indexes were set
    aside (False: the ordinary path). The caller holds the transaction."""
    vendor = connection.vendor
    if new_rows < FIRST_LOAD_ROWS or vendor not in ("postgresql", "sqlite"):
        yield False
        return
    with connection.cursor() as cursor:
        restore: list[str] | None = None
        if _empty(cursor, table):
            try:
                # A savepoint: when the table cannot be altered now (an enclosing
                # transaction has deferred checks pending on it), the ordinary path.
                with transaction.atomic():
                    restore = _set_aside(cursor, table, vendor)
            except OperationalError:
                restore = None
        if restore is None:
            yield False
            return
        yield True
        if vendor == "postgresql":
            # Each index is built from one sort of the whole table: in memory, not
            # in temporary files, up to this much (for this transaction only; the
            # server's default, 64 MB, spills a million rows' sort to disk).
            cursor.execute(
                "SELECT set_config('maintenance_work_mem', %s, true) "
                "WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < %s",
                [f"{BUILD_MEMORY_MB}MB", BUILD_MEMORY_MB * 1_048_576],
            )
        for statement in restore:
            cursor.execute(statement)
        if vendor == "postgresql":
            # Fresh statistics for the queries that follow (counts, metrics refresh).
            cursor.execute(f"ANALYZE {table}")


def _set_aside(cursor: Any, table: str, vendor: str) -> list[str] | None:
    """Drop the secondary indexes (and on PostgreSQL the foreign keys) of the
    empty `table`: the statements that restore them, or None if it is not empty."""
    q = connection.ops.quote_name
    if vendor == "sqlite":
        # SQLite checks foreign keys itself at commit; only the indexes are set aside.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
        return [definition for _name, definition in indexes]
    # Wait for any writer, then make sure the table is still empty.
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    if not _empty(cursor, table):
        return None
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = cursor.fetchall()
    for name, _definition in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {q(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {q(name)}")
    # Each re-added key checks every row with one query (not a trigger per row).
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {q(name)} {definition}" for name, definition in keys
    ]
