"""The migration adding the database's rules (sales 0006) on a database that
already breaks them: it repairs what has one answer, lists every other broken
row (table, rule, count, ids) and stops, changing nothing; once the rows are
corrected it applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rumbo.sales.migrations._invariants import BrokenRows

BEFORE = [("sales", "0005_customer_employee_count")]
AFTER = [("sales", "0006_invariants")]


def _migrate(sales: list[tuple[str, str]]) -> Any:
    """Sales at `sales`, everything else at its latest; the models of that state."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "sales"]
    executor.migrate(sales)
    executor.loader.build_graph()
    return executor.loader.project_state([*others, *sales]).apps


@pytest.mark.django_db(transaction=True)
def test_rows_breaking_the_rules_are_listed_and_the_migration_stops() -> None:
    apps = _migrate(BEFORE)
    try:
        org = apps.get_model("tenancy", "Organization").objects.create(
            slug="old", name="Old data", currency="EUR"
        )
        rep = apps.get_model("tenancy", "Member").objects.create(
            organization=org, name="Rep", email="rep@old.test", role="rep"
        )
        customer = apps.get_model("sales", "Customer").objects.create(
            organization=org, name="Customer", owner=rep
        )
        deals = apps.get_model("sales", "Deal").objects
        day = dt.date(2026, 3, 1)
        common = {"organization": org, "owner": rep, "amount": Decimal(10), "currency": "EUR"}
        orphan = deals.create(name="Orphan", outcome="won", closed_on=day, created_on=day,
                              **common)  # fmt: skip
        early = deals.create(name="Early", outcome="won", customer=customer, closed_on=day,
                             created_on=day + dt.timedelta(days=3), **common)  # fmt: skip
        hopeful = deals.create(name="Hopeful", outcome="open", customer=customer,
                               closed_on=day, created_on=day, **common)  # fmt: skip
        survey = apps.get_model("sales", "SurveyResponse").objects.create(
            organization=org, rep=rep, customer=customer, kind="csat", score=9, responded_on=day
        )

        with pytest.raises(BrokenRows) as refused:
            _migrate(AFTER)
        text = str(refused.value)
        assert "sales_deal: 1 row(s) break deal_closed_has_customer" in text
        assert f"ids {orphan.pk}" in text
        assert "sales_deal: 1 row(s) break deal_not_closed_before_created" in text
        assert f"ids {early.pk}" in text
        assert "sales_surveyresponse: 1 row(s) break survey_score_in_range" in text
        assert f"ids {survey.pk}" in text
        # Repaired before the check, so not listed (the repair itself is undone: see below).
        assert "deal_closed_iff_close_date" not in text
        assert deals.get(pk=hopeful.pk).closed_on == day  # nothing of the migration applied

        deals.filter(pk=orphan.pk).update(customer=customer)
        deals.filter(pk=early.pk).update(created_on=day)
        apps.get_model("sales", "SurveyResponse").objects.filter(pk=survey.pk).update(score=5)
        after = _migrate(AFTER)
        assert after.get_model("sales", "Deal").objects.get(pk=hopeful.pk).closed_on is None
    finally:
        # Every app back at its latest: going back took along the apps whose
        # migrations depend on this one (care, recognition...), not only this app.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
