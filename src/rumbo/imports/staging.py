"""The staging table of one import: validated rows go into a temporary table
(COPY on PostgreSQL, batched inserts on SQLite), where set-based SQL finds the
records they match, the duplicates within the file, and what would change.

The table is temporary (per connection) and filled outside any transaction, so
staging a million rows holds no lock on the real tables; `services.stage_apply`
then writes the real tables in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from rumbo.imports.bulkload import indexes_aside
from rumbo.imports.kinds import Kind, model_field

BATCH = 5000
SQLITE_CACHE_KB = 65536


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS NOT {b}"


class Stage:
    """Rows of one kind on their way in: `row_no`, the matched record's id
    (`target_id`) and the model's columns."""

    def __init__(
        self, kind: Kind, organization_id: int, extra: Sequence[tuple[str, str]] = ()
    ) -> None:
        """`extra`: (name, SQL type) of columns staged beside the model's and never
        written to it (a deal's line: `lines.LINE_COLUMNS`)."""
        self.kind = kind
        self.model = kind.model
        self.organization_id = organization_id
        self.table = "import_stage_" + uuid.uuid4().hex[:12]
        self.fields = [model_field(self.model, f.name) for f in kind.stored]
        self.columns = [f.column for f in self.fields]  # type: ignore[union-attr]
        self.target = self.model._meta.db_table
        self.rows = 0
        self._batch: list[tuple[Any, ...]] = []
        self._postgres = connection.vendor == "postgresql"
        self._adapt = [self._adapter(f) for f in self.fields]
        q = connection.ops.quote_name
        defs = ", ".join(
            [f"{q(c)} {f.db_type(connection)}"
             for c, f in zip(self.columns, self.fields, strict=True)]
            + [f"{name} {kind}" for name, kind in extra]
        )  # type: ignore[union-attr]  # fmt: skip
        self.extra = [name for name, _kind in extra]
        self._adapt += [None] * len(self.extra)
        self._defs = defs
        self.new_table(self.table)

    def new_table(self, name: str) -> None:
        """Create a temporary table shaped like this stage (typed as the model's columns)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {name} "
                f"(row_no integer NOT NULL, target_id bigint, {self._defs})"
            )

    def _adapter(self, field: Any) -> Any:
        if not self._postgres and isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        return None

    def add(self, row_no: int, values: Sequence[Any]) -> None:
        if not self._postgres:
            values = [
                a(v) if a and v is not None else v for a, v in zip(self._adapt, values, strict=True)
            ]
        self._batch.append((row_no, *values))
        self.rows += 1
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        names = ["row_no", *(connection.ops.quote_name(c) for c in self.columns), *self.extra]
        cols = ", ".join(names)
        with connection.cursor() as cursor:
            if self._postgres:
                with cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for row in self._batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                # One transaction per batch, not one per row (autocommit would journal each).
                with transaction.atomic():
                    cursor.executemany(
                        f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self._batch
                    )
        self._batch = []

    def _key_condition(self, key: Sequence[str], a: str = "t", b: str = "s",
                       empty: bool = False) -> str:  # fmt: skip
        """Rows `a` and `b` agree on `key`. A nullable part (a deal's unknown
        creation date, ADR 0015) is compared as equal values, or with `empty`,
        as both empty: two plain conditions, each of which an index serves (an
        OR of both made SQLite scan the deals for every row)."""
        q = connection.ops.quote_name
        parts = []
        for k in key:
            field = model_field(self.model, k)
            c = q(field.column)
            both_empty = empty and field.null
            parts.append(f"{a}.{c} IS NULL AND {b}.{c} IS NULL" if both_empty
                         else f"{a}.{c} = {b}.{c}")  # fmt: skip
        return " AND ".join(parts)

    def _nullable(self, key: Sequence[str]) -> bool:
        return any(model_field(self.model, k).null for k in key)

    def match(self) -> None:
        """Find each row's record: by external id when the row has one, else by
        the kind's natural key."""
        self.flush()
        org = self.organization_id
        with connection.cursor() as cursor:
            if self._postgres:
                cursor.execute(f"ANALYZE {self.table}")
            if self.kind.has_external_id:
                cursor.execute(
                    f"UPDATE {self.table} AS s SET target_id = t.id FROM {self.target} AS t "
                    # Spelt as in the partial unique index, so SQLite can use it.
                    "WHERE t.organization_id = %s AND NOT (t.external_id = '') "
                    "AND s.external_id <> '' AND t.external_id = s.external_id",
                    [org],
                )
                only = "AND s.external_id = ''"
            else:
                only = ""
            key = self.kind.natural_key
            for empty in (False, True) if self._nullable(key) else (False,):
                cursor.execute(
                    f"UPDATE {self.table} AS s SET target_id = t.id FROM {self.target} AS t "
                    f"WHERE t.organization_id = %s AND s.target_id IS NULL {only} AND "
                    + self._key_condition(key, empty=empty),
                    [org],
                )

    def duplicates(self, limit: int = 10_000) -> list[tuple[int, int, str]]:
        """(row, first row, key field) for every row whose key an earlier row holds."""
        found: list[tuple[int, int, str]] = []
        q = connection.ops.quote_name
        keys: list[tuple[tuple[str, ...], str]] = []
        if self.kind.has_external_id:
            keys.append((("external_id",), "s.external_id <> ''"))
            keys.append((self.kind.natural_key, "s.external_id = ''"))
        else:
            keys.append((self.kind.natural_key, "1 = 1"))
        with connection.cursor() as cursor:
            for key, where in keys:
                cols = [model_field(self.model, k).column for k in key]
                group = ", ".join(f"s.{q(c)}" for c in cols)
                # Equal, or both empty (the groups joined are few: the duplicated keys).
                join = self._key_condition(key, "f", "s")
                if self._nullable(key):
                    join = f"(({join}) OR ({self._key_condition(key, 'f', 's', empty=True)}))"
                select = ", ".join(f"s.{q(c)} AS {q(c)}" for c in cols)
                cursor.execute(
                    f"SELECT s.row_no, f.first_row FROM {self.table} AS s JOIN "
                    f"(SELECT {select}, MIN(s.row_no) AS first_row FROM {self.table} AS s "
                    f"WHERE {where} GROUP BY {group} HAVING COUNT(*) > 1) AS f ON {join} "
                    f"WHERE {where} AND s.row_no <> f.first_row ORDER BY s.row_no LIMIT %s",
                    [limit],
                )
                found.extend((row, first, key[0]) for row, first in cursor.fetchall())
        return sorted(found)

    def _changed(self, update: Sequence[str]) -> str:
        q = connection.ops.quote_name
        cols = [c for c, f in zip(self.columns, self.kind.stored, strict=True) if f.name in update]
        return " OR ".join(_distinct(f"t.{q(c)}", f"s.{q(c)}") for c in cols) or "1 = 0"

    def changed_condition(self, update: Sequence[str]) -> str:
        """SQL true when the staged row `s` differs from its record `t` in `update`."""
        return f"({self._changed(update)})"

    def target_ids(self, update: Sequence[str] | None = None) -> set[int]:
        """Ids of the matched records (only those whose `update` fields differ, if given)."""
        where = f" AND ({self._changed(update)})" if update is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.target_id FROM {self.table} AS s JOIN {self.target} AS t "
                f"ON t.id = s.target_id WHERE 1 = 1{where}"
            )
            return {row[0] for row in cursor.fetchall()}

    def counts(self, update: Sequence[str]) -> tuple[int, int, int]:
        """(to create, to update, unchanged)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self.table} WHERE target_id IS NULL")
            created = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.table} AS s JOIN {self.target} AS t "
                f"ON t.id = s.target_id WHERE {self._changed(update)}"
            )
            changed = cursor.fetchone()[0]
        return created, changed, self.rows - created - changed

    def apply(self, update: Sequence[str], *, changed: int = -1, created: int = -1) -> None:
        """Update the changed records, insert the new ones (in file order). The
        caller holds the transaction. `changed` and `created` are the counts
        (`counts()`) when known: a statement with nothing to do is skipped, and
        a large first load into an empty table sets its indexes aside
        (`bulkload.indexes_aside`)."""
        q = connection.ops.quote_name
        sets = ", ".join(
            f"{q(c)} = s.{q(c)}"
            for c, f in zip(self.columns, self.kind.stored, strict=True)
            if f.name in update
        )
        if sets and any(f.name == "version" for f in self.model._meta.concrete_fields):
            # An imported change moves the version on like any other: an edit page
            # or API client holding the older copy is refused (ADR 0010).
            sets += f", {q('version')} = t.{q('version')} + 1"
        defaults = _insert_defaults(self.model, set(self.columns))
        names = ["organization_id", *self.columns, *defaults]
        values = ["%s", *(f"s.{q(c)}" for c in self.columns), *(["%s"] * len(defaults))]
        with connection.cursor() as cursor:
            if not self._postgres:
                # A million inserts into a table with nine indexes: SQLite's default
                # 2 MB page cache makes them crawl. A bounded 64 MB cache, for now.
                cursor.execute("PRAGMA cache_size")
                previous = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            try:
                if sets and changed != 0:
                    cursor.execute(
                        f"UPDATE {self.target} AS t SET {sets} FROM {self.table} AS s "
                        f"WHERE t.id = s.target_id AND ({self._changed(update)})"
                    )
                if created != 0:
                    with indexes_aside(self.target, created):
                        cursor.execute(
                            f"INSERT INTO {self.target} ({', '.join(q(n) for n in names)}) "
                            f"SELECT {', '.join(values)} FROM {self.table} AS s "
                            # No ORDER BY: sorting a million rows would cost memory; the
                            # stage is read back in the order it was filled, the file's.
                            "WHERE s.target_id IS NULL",
                            [self.organization_id, *defaults.values()],
                        )
            finally:
                if not self._postgres:
                    cursor.execute(f"PRAGMA cache_size = {int(previous)}")

    def changed_keys(self, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Distinct values of `columns` over the staged rows (for the metrics)."""
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT {', '.join(q(c) for c in columns)} FROM {self.table}")
            return list(cursor.fetchall())

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def _insert_defaults(model: type[models.Model], staged: set[str]) -> dict[str, Any]:
    """Values for the model's columns a file does not carry (created_at, ...)."""
    now = timezone.now()
    result: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in staged or field.column == "organization_id":
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = ""
        result[str(field.column)] = field.get_db_prep_save(value, connection)
    return result
