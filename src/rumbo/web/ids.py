"""Integers the database can hold, for ids and page numbers the API reads.

A row id is a 64-bit signed integer on SQLite and PostgreSQL. A larger number
sent as an id (in a path, a filter or a body) or as a page number cannot name
anything; refused by its type, it answers 422 naming the field, where it used
to reach the database and fail there (SQLite: OverflowError; PostgreSQL:
"bigint out of range")."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_DB_INT = 2**63 - 1

# A row's id: path ids, filters (`?customer_id=`) and `*_id` fields of bodies.
Id = Annotated[int, Field(ge=1, le=MAX_DB_INT)]


def max_page(page_size: int) -> int:
    """The last page number whose first row's offset the database can hold."""
    return MAX_DB_INT // page_size
