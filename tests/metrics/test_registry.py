"""Registration rules a new app meets before its figures can be wrong."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from rumbo.metrics import registry
from rumbo.sales.models import Complaint


def test_a_first_of_source_must_be_ordered_by_its_day_then_its_id() -> None:
    first = registry.FIRSTS["first_purchases"]
    for wrong in (
        dataclasses.replace(first, key="by_amount", order=("amount_base", "id")),
        dataclasses.replace(first, key="newest", order=("id",)),
        # A timestamp's local day is not the order its rows sort in.
        dataclasses.replace(first, key="by_stamp", model=Complaint, member="rep_id",
                            day="opened_at", order=("opened_at", "id")),  # fmt: skip
    ):
        with pytest.raises(ImproperlyConfigured, match="ordered by its date field"):
            registry.register_first(wrong)
        assert wrong.key not in registry.FIRSTS
