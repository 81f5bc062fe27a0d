"""A goal's rules hold in the database itself (goals 0006, ADR 0015): a target
below zero (a goal's or a milestone's) and a start after the end are refused
even by a write that skips the forms; the migration adding the target rules
to a database that already breaks them lists the rows and stops, and applies
once they are corrected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from rumbo.goals.models import Goal, Milestone
from rumbo.sales.migrations._invariants import BrokenRows

BEFORE = [("goals", "0005_independent_goals_are_hers")]
AFTER = [("goals", "0006_invariants")]
D = dt.date


@pytest.mark.django_db
def test_the_database_refuses_a_negative_target_and_a_start_after_the_end(world) -> None:  # type: ignore[no-untyped-def]
    common = {"organization": world.acme, "metric": "revenue", "member": world.rita,
              "start": D(2026, 1, 1), "end": D(2026, 3, 31)}  # fmt: skip
    for broken in ({"target": Decimal(-1)}, {"target": Decimal(5), "start": D(2026, 4, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Goal.objects.create(**{**common, **broken})
    zero = Goal.objects.create(**common, target=Decimal(0))  # no complaints at all: a target
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(goal=zero, day=D(2026, 2, 1), target=Decimal("-0.01"))
    assert not Milestone.objects.exists()


def _migrate(goals: list[tuple[str, str]]) -> Any:
    """Goals at `goals`, everything else at its latest; the models of that state."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "goals"]
    executor.migrate(goals)
    executor.loader.build_graph()
    return executor.loader.project_state([*others, *goals]).apps


@pytest.mark.django_db(transaction=True)
def test_rows_breaking_the_target_rules_are_listed_and_the_migration_stops() -> None:
    apps = _migrate(BEFORE)
    try:
        org = apps.get_model("tenancy", "Organization").objects.create(
            slug="old", name="Old data", currency="EUR"
        )
        rep = apps.get_model("tenancy", "Member").objects.create(
            organization=org, name="Rep", email="rep@old.test", role="rep"
        )
        goals = apps.get_model("goals", "Goal").objects
        common = {"organization": org, "member": rep, "metric": "revenue",
                  "start": D(2026, 1, 1), "end": D(2026, 3, 31)}  # fmt: skip
        below = goals.create(target=Decimal(-500), **common)
        fine = goals.create(target=Decimal(500), **common)
        stones = apps.get_model("goals", "Milestone").objects
        stone = stones.create(goal=fine, day=D(2026, 2, 1), target=Decimal(-1))

        with pytest.raises(BrokenRows) as refused:
            _migrate(AFTER)
        text = str(refused.value)
        assert "goals_goal: 1 row(s) break goal_target_not_negative" in text
        assert f"ids {below.pk}" in text
        assert "goals_milestone: 1 row(s) break milestone_target_not_negative" in text
        assert f"ids {stone.pk}" in text

        goals.filter(pk=below.pk).update(target=Decimal(500))
        stones.filter(pk=stone.pk).update(target=Decimal(0))
        after = _migrate(AFTER)
        assert after.get_model("goals", "Goal").objects.get(pk=below.pk).target == 500
    finally:
        # Every app back at its latest: going back took along the apps whose
        # migrations depend on this one (care, recognition...), not only this app.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
