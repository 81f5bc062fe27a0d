"""A first load into an empty table sets its indexes and foreign keys aside and
puts them back exactly as they were, in the import's transaction: a failure
leaves the table, its indexes and its keys as before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from rumbo.imports import bulkload, services, staging
from rumbo.sales.models import Activity, Complaint, Deal, SurveyResponse

DEALS = "External ID,Name,Owner,Stage,Amount,Created\n" + "".join(
    f"B-{i},Deal {i},Rita,Proposal,{100 + i},2026-03-0{1 + i % 9}\n" for i in range(30)
)


def catalogue() -> dict[str, Any]:
    """The deal table's indexes and constraints as the database describes them."""
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Deal._meta.db_table)


@pytest.fixture
def empty_deals(monkeypatch):  # type: ignore[no-untyped-def]
    """No deal in the table, a low threshold, and a record of which path each apply took."""
    for model in (SurveyResponse, Complaint, Activity, Deal):  # those that keep deals
        model.objects.all().delete()
    if connection.vendor == "postgresql":
        # Check the deletions' deferred keys now, so the table can be altered.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    monkeypatch.setattr(bulkload, "FIRST_LOAD_ROWS", 10)
    taken: list[bool] = []

    @contextmanager
    def spy(table: str, rows: int) -> Iterator[bool]:
        with bulkload.indexes_aside(table, rows) as aside:
            taken.append(aside)
            yield aside

    monkeypatch.setattr(staging, "indexes_aside", spy)
    return taken


def test_a_first_load_keeps_every_index_and_key(importer, world, empty_deals) -> None:  # type: ignore[no-untyped-def]
    before = catalogue()
    result = importer.run("deals", "first.csv", DEALS)
    assert result.applied and result.created == 30
    assert empty_deals == [True]  # the first-load path was taken
    assert catalogue() == before
    assert Deal.objects.filter(organization=world.acme, owner=world.members["rita"]).count() == 30
    again = importer.run("deals", "first.csv")
    assert again.applied and again.unchanged == 30 and again.created == 0


def test_a_failed_first_load_leaves_the_table_as_it_was(importer, world, empty_deals,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    before = catalogue()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("refused after the rows went in")

    monkeypatch.setattr(services, "_audit", refuse)
    result = importer.run("deals", "first.csv", DEALS)
    assert not result.applied and empty_deals == [True]
    assert "refused after the rows went in" in result.problems[0].reason
    assert not Deal.objects.exists()
    assert catalogue() == before


def test_a_table_with_rows_takes_the_ordinary_path(world) -> None:  # type: ignore[no-untyped-def]
    assert Deal.objects.exists()  # the personas' deals, of both organisations
    with transaction.atomic(), bulkload.indexes_aside(Deal._meta.db_table, 10**6) as aside:
        assert aside is False


def test_pending_checks_on_the_table_take_the_ordinary_path(importer, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Deleted deals with their keys still to check at commit: PostgreSQL cannot
    alter the table in this transaction, so the import inserts row by row."""
    for model in (SurveyResponse, Complaint, Activity, Deal):
        model.objects.all().delete()
    monkeypatch.setattr(bulkload, "FIRST_LOAD_ROWS", 10)
    result = importer.run("deals", "first.csv", DEALS)
    assert result.applied and Deal.objects.count() == 30
