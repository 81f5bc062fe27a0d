"""Dates with a month name, in English and Spanish: read exactly, and a word
that is not a month (or a day that does not exist) refused, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from rumbo.imports.values import Bad, parse_date
from rumbo.sales.models import Deal

MARCH_3 = dt.date(2024, 3, 3)


@pytest.mark.parametrize("cell", [
    "3 Mar 2024", "March 3, 2024", "3 de marzo de 2024", "03-mar-2024", "mar 3 2024",
    "Mar 3rd, 2024", "3-Mar-24", "3/Mar/2024", "3 MARZO 2024 14:05", "Mar. 3, 2024",
])  # fmt: skip
@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_month_names_read_the_same_whatever_the_column_order(cell, order) -> None:
    assert parse_date(cell, order) == MARCH_3


@pytest.mark.parametrize(("cell", "expected"), [
    ("1 de septiembre del 2024", dt.date(2024, 9, 1)), ("Sept 30, 2024", dt.date(2024, 9, 30)),
    ("12 dic. 2025", dt.date(2025, 12, 12)), ("5 de setiembre de 2025", dt.date(2025, 9, 5)),
    ("1º de enero de 2025", dt.date(2025, 1, 1)), ("15 agosto 2025", dt.date(2025, 8, 15)),
])  # fmt: skip
def test_spanish_and_variant_spellings(cell, expected) -> None:
    assert parse_date(cell, "dmy") == expected


@pytest.mark.parametrize(("cell", "reason"), [
    ("3 Mrach 2024", "3 Mrach 2024 is not a date: mrach is not a month."),
    ("31 Feb 2024", "31 Feb 2024 is not a real date."),
    ("3 Mar", "3 Mar is not a date (use YYYY-MM-DD)."),
    ("Mar 2024", "Mar 2024 is not a date (use YYYY-MM-DD)."),
    ("Sun 3 Mar 2024", "Sun 3 Mar 2024 is not a date (use YYYY-MM-DD)."),
    ("3 Mar 2024 or so", "3 Mar 2024 or so is not a date (use YYYY-MM-DD)."),
    ("next tuesday", "next tuesday is not a date (use YYYY-MM-DD)."),
])  # fmt: skip
def test_anything_else_is_refused_not_guessed(cell, reason) -> None:
    with pytest.raises(Bad) as bad:
        parse_date(cell, "dmy")
    assert bad.value.reason == reason


def test_numeric_day_month_order_is_still_decided_by_the_column(importer, world) -> None:
    result = importer.run("deals", "d.csv", (
        "id,name,owner,customer,stage,amount,close date,created\n"
        "N-1,Named,Rita,Rita customer,won,10,3 de marzo de 2024,01/02/2024\n"
        "N-2,Numeric,Rita,Rita customer,won,10,25/02/2024,02/01/2024\n"
    ))  # fmt: skip
    assert result.ok, [p.line() for p in result.problems]
    named, numeric = Deal.objects.get(external_id="N-1"), Deal.objects.get(external_id="N-2")
    assert (named.closed_on, named.created_on) == (MARCH_3, dt.date(2024, 2, 1))
    assert (numeric.closed_on, numeric.created_on) == (dt.date(2024, 2, 25), dt.date(2024, 1, 2))
