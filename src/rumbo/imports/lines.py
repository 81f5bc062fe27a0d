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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction

from rumbo.imports.bulkload import indexes_aside
from rumbo.imports.staging import Stage, _distinct
from rumbo.sales.models import Deal, DealLine, ExchangeRate

# Deal fields every line row of one deal must agree on.
DEAL_FIELDS = ("owner_id", "customer_id", "stage", "outcome", "currency", "closed_on",
               "loss_reason", "source")  # fmt: skip
KEY = ("external_id", "name", "created_on")
CENT = Decimal("0.01")


def _dated(alias: str) -> str:
    # A deal may have no creation date: NULL keys must still join (an equality
    # on an expression keeps the hash join that IS NOT DISTINCT FROM would lose).
    return f"COALESCE({alias}.created_on, '0001-01-01')"


def same_key(a: str, b: str) -> str:
    """SQL: rows `a` and `b` have the same deal key (KEY)."""
    return f"{a}.external_id = {b}.external_id AND {a}.name = {b}.name AND " + (
        f"{_dated(a)} = {_dated(b)}"
    )


class ChildStage:
    """Rows that belong to a deal (its lines, its techniques), staged with the
    deal's row and written after the deals: `table` (`deal_id` + `columns`).

    Each child names its file row (`row_no`) and the stage's row of its deal
    (`deal_row`): its own row until `collapse` folds several rows into the first
    one. Joins to the stage are then on one integer, not on the deal's key."""

    def __init__(
        self,
        table: str,
        columns: list[tuple[str, str]],
        source: str,
        distinct: bool,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        self.target = table
        self.distinct = "DISTINCT " if distinct else ""  # a technique once; each line as given
        self.columns = [name for name, _type in columns]
        # Staged beside the columns, not written: what `collapse` checks the lines by.
        self.extra = [name for name, _type in extra or []]
        self.source = source  # the row value holding tuples (lines: one or two per row)
        self.table = "import_child_" + uuid.uuid4().hex[:12]
        self._postgres = connection.vendor == "postgresql"
        defs = ", ".join(f"{name} {kind}" for name, kind in [*columns, *(extra or [])])
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (row_no integer, deal_row integer, {defs})"
            )
        self._batch: list[tuple[Any, ...]] = []

    def add(self, row_no: int, row: dict[str, Any]) -> None:
        value = row.get(self.source)
        if not value:
            return
        batch = self._batch
        if self.source == "_line":
            # Each line with the rate of its deal (rules.deal_rules), for `collapse`.
            rate = row.get("_line_rate")
            for line in value:
                batch.append((row_no, row_no, *line, rate))
        else:
            for pk in value:
                batch.append((row_no, row_no, pk))
        if len(batch) >= 5000:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        with connection.cursor() as cursor:
            if self._postgres:  # as the deals' stage: COPY, not a round trip per row
                with cursor.copy(f"COPY {self.table} FROM STDIN") as copy:
                    for row in self._batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (2 + len(self.columns) + len(self.extra)))
                with transaction.atomic():
                    cursor.executemany(f"INSERT INTO {self.table} VALUES ({marks})", self._batch)
        self._batch = []

    def _staged(self, stage: Stage) -> str:
        """SQL: (deal id, columns...) of every staged child of a matched deal."""
        cols = ", ".join(f"c.{name}" for name in self.columns)
        return (
            f"SELECT s.target_id AS deal_id, {cols} "
            f"FROM {self.table} AS c JOIN {stage.table} AS s ON s.row_no = c.deal_row "
            "WHERE s.target_id IS NOT NULL"
        )

    def changed_deals(self, stage: Stage) -> set[int]:
        """Matched deals whose children differ from the file's."""
        with connection.cursor() as cursor:
            # A first import of a file matches nothing: no comparison to make.
            cursor.execute(f"SELECT 1 FROM {stage.table} WHERE target_id IS NOT NULL LIMIT 1")
            if cursor.fetchone() is None:
                return set()
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

    def apply(self, stage: Stage, deals: set[int], created: int = 0) -> None:
        """Replace the children of the matched `deals` with the file's, and write
        those of the `created` deals the stage's apply has just inserted (in the
        caller's transaction)."""
        cols = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if deals:
                ids = "import_ids_" + uuid.uuid4().hex[:12]
                chosen = f"(SELECT id FROM {ids})"
                cursor.execute(f"CREATE TEMPORARY TABLE {ids} (id bigint PRIMARY KEY)")
                if self._postgres:  # many changed deals: COPY, not a round trip each
                    with cursor.copy(f"COPY {ids} FROM STDIN") as copy:
                        for pk in deals:
                            copy.write_row((pk,))
                else:
                    cursor.executemany(f"INSERT INTO {ids} VALUES (%s)", [(pk,) for pk in deals])
                cursor.execute(f"DELETE FROM {self.target} WHERE deal_id IN {chosen}")
                cursor.execute(
                    f"INSERT INTO {self.target} (deal_id, {cols}) "
                    f"SELECT {self.distinct}deal_id, {cols} FROM ({self._staged(stage)}) AS x "
                    f"WHERE deal_id IN {chosen}"
                )
                cursor.execute(f"DROP TABLE {ids}")
            if not created:
                return
            # The new deals' children: each staged row still unmatched is a deal the
            # apply just wrote, found by the key `Stage.match` looks it up by, in one
            # join (no second match of the whole stage). A first load into an empty
            # table sets its indexes and keys aside as the deals' does.
            with indexes_aside(self.target, created):
                for where, deal in _NEW_DEAL_KEYS:
                    # Most files key every row one way: the other statement is skipped.
                    cursor.execute(
                        f"SELECT 1 FROM {stage.table} AS s WHERE s.target_id IS NULL AND {where} "
                        "LIMIT 1"
                    )
                    if cursor.fetchone() is None:
                        continue
                    joined = (
                        f"JOIN {stage.target} AS t ON t.organization_id = %s AND {deal} "
                        f"WHERE s.target_id IS NULL AND {where}"
                    )
                    select, params = self._created(stage, joined)
                    cursor.execute(
                        f"INSERT INTO {self.target} (deal_id, {cols}) {select}",
                        [stage.organization_id] * params,
                    )

    def _created(self, stage: Stage, joined: str) -> tuple[str, int]:
        """SQL selecting (deal id, columns) of the new deals' children, given the
        join to the deals `t` from the stage `s` and its condition; and how many
        times that join's parameter (the organisation) occurs."""
        return (
            f"SELECT {self.distinct}t.id, "
            + ", ".join(f"c.{name}" for name in self.columns)
            + f" FROM {self.table} AS c JOIN {stage.table} AS s ON s.row_no = c.deal_row "
            + joined,
            1,
        )

    def fold(self, groups: str, stage: Stage) -> None:
        """Point the children of folded rows at their deal's first row."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} AS c SET deal_row = g.first_row FROM {stage.table} AS s "
                f"JOIN {groups} AS g ON {same_key('g', 's')} WHERE s.row_no = c.row_no"
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


# (staged rows, the deal of one) by the key `Stage.match` matches deals by: the
# external id when the row has one, else the name and creation date (of a deal
# without an external id, as the file's row is).
_NEW_DEAL_KEYS = (
    ("s.external_id <> ''", "NOT (t.external_id = '') AND t.external_id = s.external_id"),
    (
        "s.external_id = ''",
        f"t.external_id = '' AND t.name = s.name AND {_dated('t')} = {_dated('s')}",
    ),
)


def line_types() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, SQL type) of a staged line's columns, and of what is staged beside them."""
    types = {f.name: f.db_type(connection) for f in DealLine._meta.concrete_fields}
    money = str(types["unit_price"])
    columns = [("product_id", "bigint"), ("quantity", str(types["quantity"])),
               ("unit_price", money)]  # fmt: skip
    # The row's line at the file's (or list) price, its total, the deal amount the
    # row states (NULL: none), and the rate to the base currency (rules._line).
    extra = [("listed_price", money), ("listed_total", money), ("stated", money),
             ("rate", str(ExchangeRate._meta.get_field("rate").db_type(connection)))]  # fmt: skip
    return columns, extra


def line_stage() -> ChildStage:
    columns, extra = line_types()
    return ChildStage(DealLine._meta.db_table, columns, "_line", distinct=False, extra=extra)


def technique_stage() -> ChildStage:
    through = Deal.techniques.through._meta.db_table
    return ChildStage(through, [("technique_id", "bigint")], "techniques", distinct=True)


def _index(table: str, columns: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {table}_{uuid.uuid4().hex[:6]} ON {table} ({columns})")


def _key() -> str:
    return ", ".join(connection.ops.quote_name(k) for k in KEY)


class Folded:
    """What `collapse` found: rows that disagree with their deal's first row on a
    deal field (row, field, first row), and rows of deals of several lines whose
    stated amount is neither the lines' total nor their own line's (row, first
    row, stated, total)."""

    def __init__(self) -> None:
        self.conflicts: list[tuple[int, str, int]] = []
        self.amounts: list[tuple[int, int, Decimal, Decimal]] = []


def collapse(stage: Stage, children: list[ChildStage]) -> Folded:
    """Fold the line rows of each deal into one staged deal, in time linear in the
    rows: one grouping of the stage by the deal key finds the deals of several
    rows, and only those are compared (joined on the key, which is indexed then).

    A deal of one row that states its amount keeps it (its line was priced to
    match, `rules._line`). A deal of several rows is the sum of its lines; an
    amount its rows state must be that sum (each row stating the deal's amount)
    or the row's own line total (each row its line's), else each row is reported."""
    stage.flush()
    q = connection.ops.quote_name
    key = _key()
    folded = Folded()
    groups = "import_groups_" + uuid.uuid4().hex[:12]
    on_key = same_key("g", "s")
    lines = next((c for c in children if c.source == "_line"), None)
    if connection.vendor == "sqlite":
        # SQLite groups by walking an index (else it sorts into a temporary B-tree,
        # slower); PostgreSQL hashes. Both need the indexes to fold (joins by row).
        _index(stage.table, f"{key}, row_no")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {groups} AS SELECT {key}, MIN(row_no) AS first_row "
            f"FROM {stage.table} GROUP BY {key} HAVING COUNT(*) > 1"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {groups}")
        if not cursor.fetchone()[0]:
            # One row per deal (an opportunities export with a product column):
            # nothing to fold: the stage stays as it is, each child on its own row.
            cursor.execute(f"DROP TABLE {groups}")
            return folded
        if connection.vendor != "sqlite":
            _index(stage.table, f"{key}, row_no")
        _index(stage.table, "row_no")
        differs = [_distinct(f"s.{q(name)}", f"t.{q(name)}") for name in DEAL_FIELDS]
        cursor.execute(
            f"SELECT s.row_no, g.first_row, {', '.join(differs)} FROM {groups} AS g "
            f"JOIN {stage.table} AS s ON {on_key} "
            f"JOIN {stage.table} AS t ON t.row_no = g.first_row "
            f"WHERE s.row_no <> g.first_row AND ({' OR '.join(differs)})"
        )
        for row, first, *flags in cursor.fetchall():
            folded.conflicts.extend(
                (row, name, first) for name, flag in zip(DEAL_FIELDS, flags, strict=True) if flag
            )
        folded.conflicts.sort()
        fixes: dict[int, tuple[Decimal, Decimal]] = {}
        if not folded.conflicts:
            for child in children:
                child.flush()
                child.fold(groups, stage)
        if lines is not None and not folded.conflicts:
            _index(lines.table, "deal_row, row_no")
            fixes = _check_amounts(groups, lines, folded)
        if folded.conflicts or folded.amounts:
            cursor.execute(f"DROP TABLE {groups}")
            return folded
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
        _index(table, "row_no")  # the children's joins (and the fixes) find a deal by it
        if fixes:
            cursor.executemany(
                f"UPDATE {table} SET amount = %s, amount_base = %s WHERE row_no = %s",
                [(amount, base, first) for first, (amount, base) in fixes.items()],
            )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {stage.table}")
        cursor.execute(f"DROP TABLE {groups}")
    stage.table, stage.rows = table, count
    return folded


def _check_amounts(groups: str, lines: ChildStage, folded: Folded) -> dict[int, tuple[Any, Any]]:
    """Deals of several line rows some of which state an amount: report the rows
    that disagree; for the others return {first row: (amount, base amount)} and
    put their lines back at the file's (or list) price, as one line per row."""
    by_group: dict[int, dict[int, tuple[Decimal, Decimal | None, Decimal]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.first_row, c.row_no, c.listed_total, c.stated, c.rate FROM {groups} AS g "
            f"JOIN {lines.table} AS c ON c.deal_row = g.first_row ORDER BY g.first_row, c.row_no"
        )
        for first, row, total, stated, rate in cursor.fetchall():
            # A row priced in two parts (rules.priced_lines) is one row here.
            by_group.setdefault(first, {})[row] = (
                Decimal(str(total)).quantize(CENT),
                None if stated is None else Decimal(str(stated)).quantize(CENT),
                Decimal(str(rate)),
            )  # fmt: skip
        fixes: dict[int, tuple[Any, Any]] = {}
        relined: list[int] = []
        for first, rows in by_group.items():
            if all(stated is None for _t, stated, _r in rows.values()):
                continue
            total = sum((t for t, _s, _r in rows.values()), Decimal(0)).quantize(CENT)
            bad = [(row, stated) for row, (own, stated, _r) in rows.items()
                   if stated is not None and stated not in (total, own)]  # fmt: skip
            folded.amounts.extend((row, first, stated, total) for row, stated in bad)
            rate = next(iter(rows.values()))[2]  # one deal, one currency and date: one rate
            fixes[first] = (total, (total * rate).quantize(CENT, rounding=ROUND_HALF_UP))
            relined.extend(rows)
        folded.amounts.sort()
        if relined and not folded.amounts:
            _reline(lines, relined)
    return fixes


def _reline(lines: ChildStage, rows: list[int]) -> None:
    """The lines of `rows` at the file's (or list) price, one per row."""
    cols = "row_no, deal_row, product_id, quantity, unit_price, " + ", ".join(lines.extra)
    with connection.cursor() as cursor:
        merged: list[tuple[Any, ...]] = []
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT row_no, deal_row, product_id, SUM(quantity), "
                f"MIN(listed_price), MIN(listed_price), MIN(listed_total), MIN(stated), MIN(rate) "
                f"FROM {lines.table} WHERE row_no IN ({marks}) "
                "GROUP BY row_no, deal_row, product_id",
                chunk,
            )
            merged.extend(cursor.fetchall())
            cursor.execute(f"DELETE FROM {lines.table} WHERE row_no IN ({marks})", chunk)
        marks = ", ".join(["%s"] * len(cols.split(", ")))
        cursor.executemany(f"INSERT INTO {lines.table} ({cols}) VALUES ({marks})", merged)
