"""Reading, changing or deleting many records at once on PostgreSQL: Django
puts their ids in one statement without batching, which only works while
parameters are bound by the client (ADR 0008 tried server-side binding, which
stops at 65,535 parameters)."""

from __future__ import annotations

import pytest
from django.db import connection

from rumbo.sales.models import Deal

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite caps the parameters of a statement itself")  # fmt: skip
def test_a_statement_with_more_than_65535_parameters_runs(world) -> None:  # type: ignore[no-untyped-def]
    deal = world.records["rita"].deal
    ids = [deal.pk, *range(-70_000, 0)]
    assert Deal.objects.filter(pk__in=ids).count() == 1
    assert Deal.objects.filter(pk__in=ids).update(name="Renamed in bulk") == 1
    assert Deal.objects.get(pk=deal.pk).name == "Renamed in bulk"
