"""A care plan for Acme (check-in day 3, survey day 30, review day 90 by the
manager) and a way to win a deal the way a page does (deal_save)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rumbo.care.models import CarePlan
from rumbo.care.services import StepInput, plan_save
from rumbo.sales.models import Deal
from rumbo.sales.services import deal_save
from tests.personas import World


def today() -> dt.date:
    return timezone.localdate()


def make_plan(world: World, name: str = "After the sale", **fields: Any) -> CarePlan:
    steps = fields.pop("steps", None) or [
        StepInput("checkin", "Check-in call", 3, "days"),
        StepInput("survey", "Satisfaction survey", 30, "days"),
        StepInput("renewal", "Quarterly review", 3, "months", "manager"),
    ]
    values = {"is_default": True, **fields}
    plan = CarePlan(organization=world.acme, name=name, **values)
    return plan_save(actor=world.alice, plan=plan, creating=True, steps=steps)


def win(world: World, owner: str, day: dt.date | None = None, customer: Any = None,
        name: str = "Deal") -> Deal:  # fmt: skip
    """A deal won through the service a page uses, with the commit callbacks run."""
    member = world.members[owner]
    deal = Deal(organization=member.organization, owner=member, name=name,
                customer=customer or world.records[owner].customer, outcome="won",
                stage="closed", amount=Decimal("500.00"), currency="EUR",
                created_on=(day or today()) - dt.timedelta(days=20),
                closed_on=day or today())  # fmt: skip
    return deal_save(actor=member, deal=deal, creating=True)


@pytest.fixture
def plan(world: World) -> CarePlan:
    return make_plan(world)
