"""Won deals on chosen days for the personas, with the rollups rebuilt, so a
goal's figures can be checked against what was sold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from rumbo.goals.models import Goal
from rumbo.goals.services import goal_save
from rumbo.metrics.services import metrics_rebuild
from tests import factories as f
from tests.personas import World

D = dt.date


def won(world: World, owner: str, day: dt.date, amount: str = "100.00") -> Any:
    member = world.members[owner]
    return f.DealFactory(organization=member.organization, owner=member, outcome="won",
                         stage="closed", customer=world.records[owner].customer,
                         amount=Decimal(amount), amount_base=Decimal(amount),
                         created_on=day - dt.timedelta(days=10), closed_on=day)  # fmt: skip


@pytest.fixture
def sales(world: World) -> World:
    """Rita sells 100 every Monday and Thursday of 2026 up to 15 February;
    Nina 50 each Monday; Sofia 1,000 once."""
    day = D(2025, 11, 1)
    while day <= D(2026, 2, 15):
        if day.weekday() in (0, 3):
            won(world, "rita", day)
        if day.weekday() == 0:
            won(world, "nina", day, "50.00")
        day += dt.timedelta(days=1)
    won(world, "sofia", D(2026, 1, 20), "1000.00")
    metrics_rebuild(organization=world.acme)
    return world


def make_goal(world: World, actor: str, **fields: Any) -> Goal:
    values = {"metric": "revenue", "target": Decimal(3000), "start": D(2026, 1, 1),
              "end": D(2026, 3, 31), **fields}  # fmt: skip
    milestones = values.pop("milestones", None)
    goal = Goal(**values)
    return goal_save(actor=world.members[actor], goal=goal, milestones=milestones, creating=True)
