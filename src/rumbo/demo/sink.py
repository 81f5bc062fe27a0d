"""Where generated rows go. Rows are buffered per table and written in chunks,
parents before children. Three writers:

- `OrmSink`: `bulk_create` in batches (the normal demo);
- `CopySink`: PostgreSQL `COPY ... FROM STDIN` through psycopg 3 (the large demo);
- `SqliteSink`: `executemany` in one big transaction (the large demo on SQLite).

Ids of customers and deals are reserved up front (`IdAllocator`) so children can
point at them without a round trip."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection
from django.db.models import Model

from rumbo.demo import tables as t

Row = tuple[Any, ...]


class Sink:
    """Buffers rows per table; `maybe_flush` writes all buffers once enough piled up."""

    def __init__(self, chunk_rows: int = 20_000) -> None:
        self.chunk_rows = chunk_rows
        self.buffers: dict[t.Table, list[Row]] = {table: [] for table in t.ALL}
        self.written: Counter[str] = Counter()

    def add(self, table: t.Table, row: Row) -> None:
        self.buffers[table].append(row)

    def maybe_flush(self) -> None:
        """Writers may also append to `buffers` directly (the simulation's hot loop does)."""
        if sum(len(rows) for rows in self.buffers.values()) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        """Hand the buffered rows to `write_batch` and start fresh buffers (callers
        holding a buffer must fetch it again after a flush)."""
        batch = [(table, rows) for table, rows in self.buffers.items() if rows]
        self.buffers = {table: [] for table in t.ALL}
        for table, rows in batch:
            self.written[table.db_table] += len(rows)
        if batch:
            self.write_batch(batch)

    def close(self) -> None:
        """Write what is left and wait until everything is in the database."""
        self.flush()

    def write_batch(self, batch: list[tuple[t.Table, list[Row]]]) -> None:
        for table, rows in batch:
            self.write(table, rows)

    def write(self, table: t.Table, rows: list[Row]) -> None:
        raise NotImplementedError


class OrmSink(Sink):
    """`bulk_create` of model instances; `auto_now_add` fields (a customer's
    creation time) are put back afterwards, since bulk_create overwrites them."""

    def write(self, table: t.Table, rows: list[Row]) -> None:
        model = table.model
        objs = [model(**dict(zip(table.attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=2000)  # type: ignore[attr-defined]
        restored = [
            name
            for name in table.attnames
            if getattr(model._meta.get_field(name), "auto_now_add", False)
        ]
        if restored:
            for obj, row in zip(objs, rows, strict=True):
                for name in restored:
                    setattr(obj, name, row[table.attnames.index(name)])
            model.objects.bulk_update(objs, restored, batch_size=500)  # type: ignore[attr-defined]


class CopySink(Sink):
    """PostgreSQL COPY through psycopg 3, on a writer thread: while the database
    ingests one chunk the generator builds the next (psycopg releases the GIL
    while it waits on the socket). Same connection, same transaction; the
    generator issues no queries meanwhile."""

    def __init__(self, chunk_rows: int = 200_000) -> None:
        super().__init__(chunk_rows)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-copy")
        self._pending: Future[None] | None = None
        connection.ensure_connection()
        self._raw = connection.connection

    def write_batch(self, batch: list[tuple[t.Table, list[Row]]]) -> None:
        self._wait()
        self._pending = self._writer.submit(super().write_batch, batch)

    def close(self) -> None:
        super().close()
        self._wait()
        self._writer.shutdown()

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises a failed COPY here

    def write(self, table: t.Table, rows: list[Row]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        sql = f"COPY {quote(table.db_table)} ({columns}) FROM STDIN"
        with self._raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _sqlite_value(kind: str) -> Callable[[Any], Any] | None:
    if kind == "DateTimeField":
        # Django keeps naive UTC text in SQLite.
        return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda v: None if v is None else v.isoformat()
    if kind == "DecimalField":
        return lambda v: None if v is None else str(v)
    return None


class SqliteSink(Sink):
    """`executemany` inside the caller's transaction; values converted the way
    Django's SQLite backend stores them."""

    def __init__(self, chunk_rows: int = 200_000) -> None:
        super().__init__(chunk_rows)

    def write(self, table: t.Table, rows: list[Row]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES ({marks})"
        converters = [(i, f) for i, k in enumerate(table.kinds) if (f := _sqlite_value(k))]
        if converters:
            converted = []
            for row in rows:
                values = list(row)
                for i, convert in converters:
                    values[i] = convert(values[i])
                converted.append(values)
            rows = converted  # type: ignore[assignment]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def raw_sink() -> Sink:
    return CopySink() if connection.vendor == "postgresql" else SqliteSink()


class IdAllocator:
    """Hands out blocks of primary keys. On PostgreSQL the block comes from the
    table's sequence (so concurrent inserts never collide); on SQLite the write
    transaction already holds the database, so the next free id is safe."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def reserve(self, model: type[Model], count: int) -> int:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]  # type: ignore[index]
                if count <= 0:
                    return 1
                cursor.execute(
                    "SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count]
                )
                return int(cursor.fetchone()[0]) - count + 1  # type: ignore[index]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = int(cursor.fetchone()[0])  # type: ignore[index]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            top = max(top, int(found[0]) if found else 0)
        start = max(top + 1, self.next.get(table, 1))
        self.next[table] = start + count
        return start
