"""Writing many progress rows at once. The ORM's bulk upsert builds a model
and prepares every value of every row in Python, which dominated a 200,000-goal
run; here rows are plain tuples: PostgreSQL takes them by COPY into a temporary
table and one INSERT … ON CONFLICT, SQLite by one executemany of its UPSERT."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from rumbo.goals.models import Progress

# goal_id, day, actual, expected, forecast, low, high, probability, status; the
# forecast, band and probability are floats already rounded to the column's places.
Row = tuple[int, date, Decimal | None, Decimal | None, float | None, float | None,
            float | None, float | None, str]  # fmt: skip
COLUMNS = ["goal_id", "day", "actual", "expected", "forecast", "low", "high", "probability",
           "status"]  # fmt: skip
VALUES = COLUMNS[2:]


def progress_upsert(rows: Sequence[Row]) -> None:
    if not rows:
        return
    table = Progress._meta.db_table
    names = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in VALUES)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Dropped at once: one transaction may upsert several times (a cascade).
            cursor.execute("DROP TABLE IF EXISTS goal_rows")
            cursor.execute(f"CREATE TEMPORARY TABLE goal_rows (LIKE {table}) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY goal_rows ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM goal_rows "
                           f"ON CONFLICT (goal_id, day) DO UPDATE SET {updates}")  # fmt: skip
            cursor.execute("DROP TABLE goal_rows")
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = (f"INSERT INTO {table} ({names}) VALUES ({marks}) "
               f"ON CONFLICT (goal_id, day) DO UPDATE SET {updates}")  # fmt: skip
        cursor.executemany(sql, [_sqlite(row) for row in rows])


def _sqlite(row: Row) -> tuple[Any, ...]:
    """Decimals as text, the way Django's DecimalField keeps them in SQLite."""
    return tuple(str(v) if isinstance(v, Decimal) else v for v in row)
