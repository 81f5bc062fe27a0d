"""Deals files with one row per deal line: a `product` column turns them on.

Rows of one deal (the same external id, else the same name and creation date)
are staged one per line; `collapse` folds them into one row per deal whose
amount is the sum of its lines (as `sales.services.deal_save` does; the base
amount is the sum of the lines converted at the deal's rate), refusing rows of
one deal that disagree on the deal's own fields. After the deals are written,
`apply` replaces the lines of exactly the deals whose lines changed. A
`techniques` column (names separated by `;` or `,`) is staged and written the
same way, in either kind of file."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction

from rumbo.imports.staging import Stage, _distinct
from rumbo.sales.models import Deal, DealLine

# Deal fields every line row of one deal must agree on.
DEAL_FIELDS = ("owner_id", "customer_id", "stage", "outcome", "currency", "closed_on",
               "loss_reason", "source")  # fmt: skip
KEY = ("external_id", "name", "created_on")


class ChildStage:
    """Rows that belong to a deal (its lines, its techniques), staged with the
    deal's key and written after the deals: `table` (`deal_id` + `columns`)."""

    def __init__(
        self, table: str, columns: list[tuple[str, str]], source: str, distinct: bool
    ) -> None:
        self.target = table
        self.distinct = "DISTINCT " if distinct else ""  # a technique once; each line as given
        self.columns = [name for name, _type in columns]
        self.source = source  # the row value holding a tuple (lines) or tuples (techniques)
        self.table = "import_child_" + uuid.uuid4().hex[:12]
        self._postgres = connection.vendor == "postgresql"
        defs = ", ".join(f"{name} {kind}" for name, kind in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (row_no integer, external_id varchar(100), "
                f"name varchar(200), created_on date, {defs})"
            )
        self._batch: list[tuple[Any, ...]] = []

    def add(self, row_no: int, row: dict[str, Any]) -> None:
        created = row["created_on"] if self._postgres else row["created_on"].isoformat()
        key = (row_no, row.get("external_id") or "", row["name"], created)
        value = row.get(self.source)
        children: list[Any] = [value] if self.source == "_line" else [(pk,) for pk in value or ()]
        for child in children:
            self._batch.append((*key, *child))
        if len(self._batch) >= 5000:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        marks = ", ".join(["%s"] * (4 + len(self.columns)))
        with connection.cursor() as cursor, transaction.atomic():
            cursor.executemany(f"INSERT INTO {self.table} VALUES ({marks})", self._batch)
        self._batch = []

    def _staged(self, stage: Stage) -> str:
        """SQL: (deal id, columns...) of every staged child of a matched deal."""
        cols = ", ".join(f"c.{name}" for name in self.columns)
        return (
            f"SELECT s.target_id AS deal_id, {cols} "
            f"FROM {self.table} AS c JOIN {stage.table} AS s ON s.external_id = c.external_id "
            "AND (s.external_id <> '' OR (s.name = c.name AND s.created_on = c.created_on)) "
            "WHERE s.target_id IS NOT NULL"
        )

    def changed_deals(self, stage: Stage) -> set[int]:
        """Matched deals whose children differ from the file's."""
        mine = self._staged(stage)
        cols = ", ".join(f"d.{name}" for name in self.columns)
        theirs = (
            f"SELECT d.deal_id, {cols} FROM {self.target} AS d WHERE d.deal_id IN "
            f"(SELECT target_id FROM {stage.table} WHERE target_id IS NOT NULL)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT deal_id FROM ({mine} EXCEPT {theirs}) AS a "
                f"UNION SELECT deal_id FROM ({theirs} EXCEPT {mine}) AS b"
            )
            return {row[0] for row in cursor.fetchall()}

    def apply(self, stage: Stage, deals: set[int]) -> None:
        """Replace the children of `deals` with the file's (in the caller's transaction)."""
        if not deals:
            return
        ids = "import_ids_" + uuid.uuid4().hex[:12]
        chosen = f"(SELECT id FROM {ids})"
        cols = ", ".join(self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {ids} (id bigint PRIMARY KEY)")
            cursor.executemany(f"INSERT INTO {ids} VALUES (%s)", [(pk,) for pk in deals])
            cursor.execute(f"DELETE FROM {self.target} WHERE deal_id IN {chosen}")
            cursor.execute(
                f"INSERT INTO {self.target} (deal_id, {cols}) "
                f"SELECT {self.distinct}deal_id, {cols} FROM ({self._staged(stage)}) AS x "
                f"WHERE deal_id IN {chosen}"
            )
            cursor.execute(f"DROP TABLE {ids}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def line_stage() -> ChildStage:
    types = {f.name: f.db_type(connection) for f in DealLine._meta.concrete_fields}
    columns = [("product_id", "bigint"), ("quantity", str(types["quantity"])),
               ("unit_price", str(types["unit_price"]))]  # fmt: skip
    return ChildStage(DealLine._meta.db_table, columns, "_line", distinct=False)


def technique_stage() -> ChildStage:
    through = Deal.techniques.through._meta.db_table
    return ChildStage(through, [("technique_id", "bigint")], "techniques", distinct=True)


def collapse(stage: Stage) -> list[tuple[int, str, int]]:
    """Fold the line rows of each deal into one staged deal. Returns (row, field,
    first row) for rows that disagree with their deal's first row."""
    stage.flush()
    q = connection.ops.quote_name
    key = ", ".join(q(k) for k in KEY)
    conflicts: list[tuple[int, str, int]] = []
    joined = " AND ".join(f"f.{q(k)} = s.{q(k)}" for k in KEY)
    with connection.cursor() as cursor:
        for name in DEAL_FIELDS:
            differs = _distinct(f"s.{q(name)}", f"t.{q(name)}")
            cursor.execute(
                f"SELECT s.row_no, f.first_row FROM {stage.table} AS s "
                f"JOIN (SELECT {key}, MIN(row_no) AS first_row FROM {stage.table} "
                f"GROUP BY {key}) AS f ON {joined} "
                f"JOIN {stage.table} AS t ON t.row_no = f.first_row "
                f"WHERE s.row_no <> f.first_row AND {differs}"
            )
            conflicts.extend((row, name, first) for row, first in cursor.fetchall())
        if conflicts:
            return sorted(conflicts)
        table = "import_stage_" + uuid.uuid4().hex[:12]
        stage.new_table(table)
        names = ", ".join(q(c) for c in stage.columns)
        values = ", ".join(
            f"SUM({q(c)})" if c in ("amount", "amount_base") else q(c) if c in KEY
            else f"MIN({q(c)})"
            for c in stage.columns
        )  # fmt: skip
        cursor.execute(
            f"INSERT INTO {table} (row_no, target_id, {names}) SELECT MIN(row_no), NULL, "
            f"{values} FROM {stage.table} GROUP BY {key}"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {stage.table}")
    stage.table, stage.rows = table, count
    return []
