"""Small SQL pieces the registered components use, written once per database so
that SQLite and PostgreSQL compute the same numbers; and the helpers that turn
a queryset into SQL the rollup statements embed."""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db import models
from django.db.models import Func


class DaysBetween(Func):
    """Whole days from the first date to the second (both DateFields)."""

    output_field = models.IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        # julianday of two dates differs by a whole number of days.
        sql = f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)"
        return sql, (*end_params, *start_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return f"({end_sql} - {start_sql})", (*end_params, *start_params)


class HoursBetween(Func):
    """Hours (with fractions) from the first timestamp to the second."""

    output_field = models.FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        # Django keeps SQLite timestamps as UTC text that julianday() reads.
        sql = f"((julianday({end_sql}) - julianday({start_sql})) * 24.0)"
        return sql, (*end_params, *start_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        sql = f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 3600.0)"
        return sql, (*end_params, *start_params)


def compiled(queryset: models.QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SELECT a queryset would run, with its parameters, to embed in a statement."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def q(name: str) -> str:
    """A quoted identifier."""
    return str(default_connection.ops.quote_name(name))


def is_postgresql() -> bool:
    return default_connection.vendor == "postgresql"


def month_first(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    if default_connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def month_last(column: str) -> str:
    """SQL for the last day of the month of a date column."""
    if default_connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) + interval '1 month - 1 day' AS date)"
    return f"date({column}, 'start of month', '+1 month', '-1 day')"
