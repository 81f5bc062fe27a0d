"""A control character in an imported text cell is a problem on its row, as
it is a field error on the pages and in the API (web/text.py): the bulk load
stores rows without the model's validation, so the pipeline checks them."""

from __future__ import annotations

import pytest

from rumbo.sales.models import Customer
from tests.imports.conftest import lines

pytestmark = pytest.mark.django_db


def test_control_characters_in_imported_names_are_row_problems(importer, world) -> None:  # type: ignore[no-untyped-def]
    body = ('Name,External id,City\nGood Ltd,G1,Sevilla\nBell\x07 Ltd,X1,Sevilla\n'
            'Esc Ltd,X2,"Two\nlines"\n')  # fmt: skip
    result = importer.run("customers", "customers.csv", body)
    assert not result.applied
    problems = lines(result)
    assert len(problems) == 2, problems
    assert all("control characters" in p for p in problems), problems
    assert not Customer.objects.filter(external_id__in=["G1", "X1", "X2"]).exists()
