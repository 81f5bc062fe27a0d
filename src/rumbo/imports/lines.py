"""Deals files with one row per deal line: a `product` column turns them on.

Rows of one deal (the same external id, else the same name and creation date)
are staged one per line; `collapse` folds them into one row per deal whose
amount is the sum of its lines (as `sales.services.deal_save` does; the base
amount is the sum of the lines converted at the deal's rate), refusing rows of
one deal that disagree on the deal's own fields. After the deals are written,
`apply` replaces the lines of exactly the deals whose lines changed."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction

from rumbo.imports.staging import Stage, _distinct
from rumbo.sales.models import DealLine

# Deal fields every line row of one deal must agree on.
DEAL_FIELDS = ("owner_id", "customer_id", "stage", "outcome", "currency", "closed_on",
               "loss_reason", "source")  # fmt: skip
KEY = ("external_id", "name", "created_on")


class LineStage:
    """The lines of a deals file: the deal's key and product, quantity, price."""

    def __init__(self) -> None:
        self.table = "import_lines_" + uuid.uuid4().hex[:12]
        self._postgres = connection.vendor == "postgresql"
        types = {f.name: f.db_type(connection) for f in DealLine._meta.concrete_fields}
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (row_no integer, external_id varchar(100), "
                f"name varchar(200), created_on date, product_id bigint, "
                f"quantity {types['quantity']}, unit_price {types['unit_price']})"
            )
        self._batch: list[tuple[Any, ...]] = []

    def add(self, row_no: int, row: dict[str, Any]) -> None:
        product_id, quantity, unit_price = row["_line"]
        created = row["created_on"] if self._postgres else row["created_on"].isoformat()
        self._batch.append((row_no, row.get("external_id") or "", row["name"], created,
                            product_id, quantity, unit_price))  # fmt: skip
        if len(self._batch) >= 5000:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        with connection.cursor() as cursor, transaction.atomic():
            cursor.executemany(
                f"INSERT INTO {self.table} VALUES (%s, %s, %s, %s, %s, %s, %s)", self._batch
            )
        self._batch = []

    def _deal_lines(self, stage: Stage) -> str:
        """SQL: (deal id, product, quantity, price) of every staged line."""
        return (
            f"SELECT s.target_id AS deal_id, l.product_id, l.quantity, l.unit_price "
            f"FROM {self.table} AS l JOIN {stage.table} AS s ON s.external_id = l.external_id "
            "AND (s.external_id <> '' OR (s.name = l.name AND s.created_on = l.created_on)) "
            "WHERE s.target_id IS NOT NULL"
        )

    def changed_deals(self, stage: Stage) -> set[int]:
        """Matched deals whose lines differ from the file's."""
        mine = self._deal_lines(stage)
        theirs = (
            "SELECT d.deal_id, d.product_id, d.quantity, d.unit_price FROM sales_dealline AS d "
            f"WHERE d.deal_id IN (SELECT target_id FROM {stage.table} WHERE target_id IS NOT NULL)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT deal_id FROM ({mine} EXCEPT {theirs}) AS a "
                f"UNION SELECT deal_id FROM ({theirs} EXCEPT {mine}) AS b"
            )
            return {row[0] for row in cursor.fetchall()}

    def apply(self, stage: Stage, deals: set[int]) -> None:
        """Replace the lines of `deals` with the file's (inside the caller's transaction)."""
        if not deals:
            return
        ids = "import_ids_" + uuid.uuid4().hex[:12]
        chosen = f"(SELECT id FROM {ids})"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {ids} (id bigint PRIMARY KEY)")
            cursor.executemany(f"INSERT INTO {ids} VALUES (%s)", [(pk,) for pk in deals])
            cursor.execute(f"DELETE FROM sales_dealline WHERE deal_id IN {chosen}")
            lines = self._deal_lines(stage)
            cursor.execute(
                "INSERT INTO sales_dealline (deal_id, product_id, quantity, unit_price) "
                f"SELECT deal_id, product_id, quantity, unit_price FROM ({lines}) AS x "
                f"WHERE deal_id IN {chosen}"
            )
            cursor.execute(f"DROP TABLE {ids}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


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
