"""Records with names people search for, added to the personas' world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from rumbo.goals.models import Goal
from tests import factories as f
from tests.personas import World


@pytest.fixture(autouse=True)
def _back_to_default_language() -> Iterator[None]:
    # A Spanish page activates Spanish in this thread: do not let it leak.
    yield
    translation.deactivate()


@pytest.fixture
def named(world: World) -> World:
    """Two "Muñoz Hermanos" (Rita's in Sevilla, Nina's in Bilbao), Sofia's
    "Muñoz Trading", Globex's "Muñoz Globex", a deal for Rita's Muñoz and goals."""
    acme = world.acme
    rita_munoz = f.CustomerFactory(
        organization=acme, owner=world.rita, name="Muñoz Hermanos", city="Sevilla",
        email="ventas@munoz-sevilla.example",
    )  # fmt: skip
    f.CustomerFactory(organization=acme, owner=world.nina, name="Muñoz Hermanos", city="Bilbao",
                      external_id="CRM-77")  # fmt: skip
    f.CustomerFactory(organization=acme, owner=world.sofia, name="MUÑOZ Trading")
    f.CustomerFactory(organization=world.globex, owner=world.olga, name="Muñoz Globex")
    f.CustomerFactory(organization=acme, owner=world.rita, name="Álvarez Pérez SL")
    f.ContactFactory(organization=acme, customer=rita_munoz, name="Íñigo Muñoz", title="Buyer")
    f.DealFactory(organization=acme, owner=world.rita, customer=rita_munoz,
                  name="Muñoz renewal", amount=Decimal("4500.00"), stage="negotiation",
                  created_on=dt.date(2026, 1, 5))  # fmt: skip
    for member, name in ((world.rita, "Rita Q1 revenue"), (world.sofia, "Sofia Q1 revenue")):
        Goal.objects.create(organization=acme, name=name, metric="revenue", member=member,
                            target=Decimal(3000), start=dt.date(2026, 1, 1),
                            end=dt.date(2026, 3, 31))  # fmt: skip
    return world
