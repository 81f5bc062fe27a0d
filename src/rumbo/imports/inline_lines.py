"""A deal's line staged in the deal's own stage row.

An opportunities export with a product column has one row per deal, each with
its one line: staging that line in a table of its own cost a second COPY (or
batch of inserts) per row, and a join back to the deals' stage for every
statement that reads it. Here the line's columns (`LINE_COLUMNS`) sit beside
the deal's in one stage row; the lines of new deals are written by one
`INSERT … SELECT` from that stage joined to the deals just inserted.

Only a file that gives one deal over several rows (its lines) needs the lines
apart, to fold them into their deal (`lines.collapse`): the line table is then
made from the stage in one statement (`materialize`), and from there on this is
a `ChildStage` like any other."""

from __future__ import annotations

from typing import Any

from django.db import connection

from rumbo.imports.lines import ChildStage, line_types
from rumbo.imports.staging import Stage

# The line's columns in the deal's stage row: product, quantity and price of the
# line; its list price and total, the amount the row states and the deal's rate
# (what `collapse` checks the lines of a deal of several rows by); and a second
# line for a row whose amount one unit price cannot make (`rules.priced_lines`).
_NAMES = (
    "line_product_id", "line_quantity", "line_unit_price", "line_listed_price",
    "line_listed_total", "line_stated", "line_rate", "line2_quantity", "line2_unit_price",
)  # fmt: skip


def line_columns() -> list[tuple[str, str]]:
    """(name, SQL type) of the line columns a deals stage carries."""
    columns, extra = line_types()
    types = dict(columns + extra)
    return list(zip(_NAMES, [types["product_id"], types["quantity"], types["unit_price"],
                             types["listed_price"], types["listed_total"], types["stated"],
                             types["rate"], types["quantity"], types["unit_price"]],
                    strict=True))  # fmt: skip


_NONE = (None,) * len(_NAMES)


class InlineLines(ChildStage):
    """The lines of a deals file, kept in the deal stage's rows until a deal of
    several rows needs them apart."""

    def __init__(self) -> None:  # no table of its own unless `materialize` makes one
        columns, extra = line_types()
        self._init(columns, extra)
        self.stage: Stage | None = None
        self.materialized = False
        self.two_lines = False

    def _init(self, columns: list[tuple[str, str]], extra: list[tuple[str, str]]) -> None:
        from rumbo.sales.models import DealLine

        self.target = DealLine._meta.db_table
        self.distinct = ""
        self.columns = [name for name, _type in columns]
        self.extra = [name for name, _type in extra]
        self.source = "_line"
        self._defs = ", ".join(f"{name} {kind}" for name, kind in [*columns, *extra])
        self._postgres = connection.vendor == "postgresql"
        self._batch: list[tuple[Any, ...]] = []
        self.table = ""

    def bind(self, stage: Stage) -> None:
        self.stage = stage

    def values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The stage row's line columns for the parsed `row` (`rules._line`)."""
        line = row.get("_line")
        if not line:
            return _NONE
        product, quantity, price, listed, total, stated = line[0]
        if len(line) == 1:
            return (product, quantity, price, listed, total, stated, row.get("_line_rate"),
                    None, None)  # fmt: skip
        self.two_lines = True
        second = line[1]
        return (product, quantity, price, listed, total, stated, row.get("_line_rate"),
                second[1], second[2])  # fmt: skip

    def add(self, row_no: int, row: dict[str, Any]) -> None:
        return None  # staged with the deal (`values`)

    def flush(self) -> None:
        if self.materialized:
            super().flush()

    def _selects(self, stage: Stage, deal: str, joined: str) -> str:
        """SQL: (`deal`, product, quantity, price) of each line of the stage rows
        `s` that `joined` (a join and a condition) keeps."""
        first = (
            f"SELECT {deal}, s.line_product_id AS product_id, s.line_quantity AS quantity, "
            "s.line_unit_price AS unit_price "
            f"FROM {stage.table} AS s {joined} AND s.line_product_id IS NOT NULL"
        )
        if not self.two_lines:
            return first
        return (
            f"{first} UNION ALL SELECT {deal}, s.line_product_id, s.line2_quantity, "
            f"s.line2_unit_price FROM {stage.table} AS s {joined} AND s.line2_quantity IS NOT NULL"
        )

    def materialize(self) -> None:
        """The lines in a table of their own (row, deal row, columns, extra)."""
        if self.materialized or self.stage is None:
            return
        import uuid

        stage = self.stage
        self.table = "import_child_" + uuid.uuid4().hex[:12]
        listed = "s.line_listed_price, s.line_listed_total, s.line_stated, s.line_rate"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} "
                f"(row_no integer, deal_row integer, {self._defs})"
            )
            cursor.execute(
                f"INSERT INTO {self.table} SELECT s.row_no, s.row_no, s.line_product_id, "
                f"s.line_quantity, s.line_unit_price, {listed} FROM {stage.table} AS s "
                "WHERE s.line_product_id IS NOT NULL"
            )
            if self.two_lines:
                cursor.execute(
                    f"INSERT INTO {self.table} SELECT s.row_no, s.row_no, s.line_product_id, "
                    f"s.line2_quantity, s.line2_unit_price, {listed} FROM {stage.table} AS s "
                    "WHERE s.line2_quantity IS NOT NULL"
                )
        self.materialized = True

    def fold(self, groups: str, stage: Stage) -> None:
        self.materialize()
        super().fold(groups, stage)

    def _staged(self, stage: Stage) -> str:
        if self.materialized:
            return super()._staged(stage)
        lines = self._selects(stage, "s.target_id AS deal_id", "WHERE s.target_id IS NOT NULL")
        # A derived table: the caller combines it with EXCEPT, which binds as tightly.
        return f"SELECT * FROM ({lines}) AS m"

    def _created(self, stage: Stage, joined: str) -> tuple[str, int]:
        if self.materialized:
            return super()._created(stage, joined)
        return self._selects(stage, "t.id", joined), 2 if self.two_lines else 1

    def drop(self) -> None:
        if self.materialized:
            super().drop()
