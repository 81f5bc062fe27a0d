"""Incremental refresh: every write path (services, pages, API, imports) queues
exactly the (rep, day) keys it touched, old ones included, and after commit the
rollups equal the source again — without a rebuild."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from rumbo.metrics.models import DirtyKey, FirstFact, RollupDay
from rumbo.metrics.services import metrics_rebuild
from rumbo.sales import services
from rumbo.sales.models import Complaint, Deal, SurveyResponse
from tests import factories as f
from tests.imports.conftest import Importer
from tests.metrics.checks import assert_rollups_match
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def fresh(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Rebuilt rollups, then a context manager that runs after-commit work."""
    metrics_rebuild(organization=world.acme)
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _won(world: Any, *, owner: str = "rita", closed: dt.date, customer: Any = None,
         amount: str = "100.00", creating: bool = True,
         deal: Deal | None = None) -> Deal:  # fmt: skip
    deal = deal or Deal(organization=world.acme, name="Won", currency="EUR")
    deal.owner = world.members[owner]
    deal.customer = customer or world.records["rita"].customer
    deal.outcome, deal.stage = "won", "closed"
    deal.amount, deal.created_on, deal.closed_on = Decimal(amount), D(2025, 1, 1), closed
    return services.deal_save(actor=world.alice, deal=deal, creating=creating)


def _day(member: Any, day: dt.date) -> RollupDay | None:
    return RollupDay.objects.filter(member=member, day=day).first()


def test_a_new_deal_appears_in_the_rollups(world, fresh) -> None:  # type: ignore[no-untyped-def]
    with fresh():
        _won(world, closed=D(2025, 3, 10), amount="250.00")
    row = _day(world.rita, D(2025, 3, 10))
    assert row is not None and row.deals_won == 1 and row.won_amount == Decimal("250.00")
    assert not DirtyKey.objects.exists()
    assert_rollups_match(world.acme)


def test_moving_a_deal_to_another_rep_and_date_empties_its_old_key(world, fresh) -> None:  # type: ignore[no-untyped-def]
    with fresh():
        deal = _won(world, closed=D(2025, 3, 10))
    deal = Deal.objects.get(pk=deal.pk)
    with fresh():
        _won(world, owner="nina", closed=D(2025, 4, 2), deal=deal, creating=False)
    assert _day(world.rita, D(2025, 3, 10)) is None
    assert _day(world.nina, D(2025, 4, 2)).deals_won == 1  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_reopening_a_deal_removes_its_figures(world, fresh) -> None:  # type: ignore[no-untyped-def]
    with fresh():
        deal = _won(world, closed=D(2025, 3, 10))
    deal = Deal.objects.get(pk=deal.pk)
    deal.outcome, deal.stage, deal.closed_on = "open", "proposal", None
    with fresh():
        services.deal_save(actor=world.alice, deal=deal, creating=False)
    assert _day(world.rita, D(2025, 3, 10)) is None
    assert_rollups_match(world.acme)


def test_deleting_a_deal_removes_its_figures(world, fresh) -> None:  # type: ignore[no-untyped-def]
    with fresh():
        deal = _won(world, closed=D(2025, 3, 10))
    with fresh():
        services.record_remove(actor=world.alice, obj=Deal.objects.get(pk=deal.pk))
    assert _day(world.rita, D(2025, 3, 10)) is None
    assert_rollups_match(world.acme)


def test_an_older_deal_imported_late_makes_the_later_one_a_repeat(world, fresh) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        later = _won(world, closed=D(2025, 6, 1), customer=customer)
    assert _day(world.rita, D(2025, 6, 1)).first_purchases == 1  # type: ignore[union-attr]
    with fresh():  # by another rep, on another day: only the customer links them
        _won(world, owner="nina", closed=D(2025, 2, 1), customer=customer)
    assert _day(world.rita, D(2025, 6, 1)).first_purchases == 0  # type: ignore[union-attr]
    assert _day(world.nina, D(2025, 2, 1)).first_purchases == 1  # type: ignore[union-attr]
    assert FirstFact.objects.get(partition_id=customer.pk).fact_id != later.pk
    assert_rollups_match(world.acme)


def test_moving_a_first_deal_to_another_customer_hands_over_first_purchase(world, fresh) -> None:  # type: ignore[no-untyped-def]
    one = f.CustomerFactory(organization=world.acme, owner=world.rita)
    other = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        first = _won(world, closed=D(2025, 2, 1), customer=one)
        _won(world, owner="nina", closed=D(2025, 5, 1), customer=one)
    with fresh():
        _won(world, closed=D(2025, 2, 1), customer=other, deal=Deal.objects.get(pk=first.pk),
             creating=False)  # fmt: skip
    assert _day(world.nina, D(2025, 5, 1)).first_purchases == 1  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_same_day_ties_are_broken_by_id(world, fresh) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        first = _won(world, owner="nina", closed=D(2025, 2, 1), customer=customer)
        _won(world, closed=D(2025, 2, 1), customer=customer)
    assert FirstFact.objects.get(partition_id=customer.pk).fact_id == first.pk
    assert_rollups_match(world.acme)


def test_activities_surveys_and_complaints_refresh(world, fresh) -> None:  # type: ignore[no-untyped-def]
    rita, customer = world.rita, world.records["rita"].customer
    with fresh():
        activity = services.activity_save(
            actor=rita,
            creating=True,
            activity=f.ActivityFactory.build(
                organization=world.acme, owner=rita, customer=customer, date=D(2025, 3, 1)
            ),
        )
        response = services.survey_response_save(
            actor=rita,
            creating=True,
            response=SurveyResponse(
                organization=world.acme,
                customer=customer,
                kind="nps",
                score=10,
                responded_on=D(2025, 3, 2),
            ),
        )
        complaint = services.complaint_save(actor=rita, creating=True, complaint=Complaint(
            organization=world.acme, customer=customer, category="service", severity="high",
            opened_at=dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)))  # fmt: skip
    assert _day(rita, D(2025, 3, 2)).nps_promoters == 1  # type: ignore[union-attr]
    activity.date = D(2025, 3, 9)
    response.score = 3
    complaint.status = "resolved"
    complaint.resolved_at = dt.datetime(2025, 3, 3, 20, tzinfo=dt.UTC)
    with fresh():
        services.activity_save(actor=rita, activity=activity, creating=False)
        services.survey_response_save(actor=rita, response=response, creating=False)
        services.complaint_save(actor=rita, complaint=complaint, creating=False)
    assert _day(rita, D(2025, 3, 1)) is None  # nothing else happened that day
    assert _day(rita, D(2025, 3, 9)).activities == 1  # type: ignore[union-attr]
    row = _day(rita, D(2025, 3, 3))
    assert row is not None and (row.complaints_in_sla, row.resolution_hours_sum) == (1, 11)
    assert_rollups_match(world.acme)
    with fresh():
        for obj in (activity, response, complaint):
            services.record_remove(actor=rita, obj=obj)
    assert_rollups_match(world.acme)


def test_a_refused_write_queues_nothing(world, fresh) -> None:  # type: ignore[no-untyped-def]
    deal = Deal(
        organization=world.acme,
        name="Bad",
        owner=world.rita,
        currency="EUR",
        outcome="won",
        amount=Decimal(1),
        created_on=D(2025, 1, 1),
    )  # no close date
    with fresh(), pytest.raises(Exception):  # noqa: B017
        services.deal_save(actor=world.rita, deal=deal, creating=True)
    assert not DirtyKey.objects.exists()


def test_the_deal_form_refreshes(world, fresh) -> None:  # type: ignore[no-untyped-def]
    data = {
        "name": "Page deal", "customer": world.records["rita"].customer.pk,
        "owner": world.rita.pk, "stage": "closed", "outcome": "won", "source": "",
        "amount": "75.00", "currency": "EUR", "created_on": "2025-03-01",
        "closed_on": "2025-03-05", "lines-TOTAL_FORMS": 0, "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    with fresh():
        response = world.client("rita").post(reverse("sales:deal_create"), data)
    assert response.status_code == 302
    assert _day(world.rita, D(2025, 3, 5)).won_amount == Decimal("75.00")  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_the_api_refreshes(world, fresh) -> None:  # type: ignore[no-untyped-def]
    client = bearer(world.rita)
    payload = {"name": "API deal", "customer_id": world.records["rita"].customer.pk,
               "outcome": "lost", "stage": "closed", "amount": "10", "currency": "EUR",
               "created_on": "2025-03-01", "closed_on": "2025-03-06"}  # fmt: skip
    with fresh():
        created = call(client, "post", "/deals", payload)
    assert created.status_code == 201, created.content
    assert _day(world.rita, D(2025, 3, 6)).deals_lost == 1  # type: ignore[union-attr]
    with fresh():
        moved = call(client, "patch", f"/deals/{created.json()['id']}", {"closed_on": "2025-03-08"})
    assert moved.status_code == 200, moved.content
    assert _day(world.rita, D(2025, 3, 6)) is None
    assert_rollups_match(world.acme)


def test_an_import_refreshes_old_and_new_keys(world, fresh, tmp_path) -> None:  # type: ignore[no-untyped-def]
    importer = Importer(world, tmp_path)
    header = "External id,Name,Owner,Customer,Stage,Amount,Closed on,Created on\n"
    with fresh():
        result = importer.run(
            "deals",
            "a.csv",
            header
            + "X-1,One,Rita,Rita customer,won,10,2025-03-02,2025-03-01\n"
            + "X-2,Two,Nina,Rita customer,lost,20,2025-03-03,2025-03-01\n",
        )
    assert result.applied
    assert _day(world.rita, D(2025, 3, 2)).deals_won == 1  # type: ignore[union-attr]
    with fresh():
        result = importer.run(
            "deals", "b.csv", header + "X-1,One,Nina,Rita customer,won,10,2025-03-04,2025-03-01\n"
        )
    assert result.applied
    assert _day(world.rita, D(2025, 3, 2)) is None
    assert_rollups_match(world.acme)


def test_keys_left_queued_are_refreshed_by_the_command(world, fresh) -> None:  # type: ignore[no-untyped-def]
    """A refresh that never ran (the process died after commit) is caught up."""
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    _won(world, closed=D(2025, 3, 10), customer=customer)  # no after-commit work runs here
    assert DirtyKey.objects.filter(organization_id=world.acme.pk).exists()
    out = StringIO()
    call_command("metrics", "refresh", "--org", "acme", stdout=out)
    assert "Refreshed 1 rep-days" in out.getvalue()
    assert not DirtyKey.objects.exists()
    assert_rollups_match(world.acme)


def test_a_repeat_purchase_moved_before_the_first_becomes_the_first(world, fresh) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        _won(world, closed=D(2025, 3, 1), customer=customer)
        repeat = _won(world, owner="nina", closed=D(2025, 6, 1), customer=customer)
    assert _day(world.nina, D(2025, 6, 1)).first_purchases == 0  # type: ignore[union-attr]
    with fresh():
        _won(world, owner="nina", closed=D(2025, 1, 15), customer=customer,
             deal=Deal.objects.get(pk=repeat.pk), creating=False)  # fmt: skip
    assert _day(world.nina, D(2025, 1, 15)).first_purchases == 1  # type: ignore[union-attr]
    assert _day(world.rita, D(2025, 3, 1)).first_purchases == 0  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_deleting_the_first_purchase_makes_the_next_deal_the_first(world, fresh) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        first = _won(world, closed=D(2025, 3, 1), customer=customer)
        _won(world, owner="nina", closed=D(2025, 6, 1), customer=customer)
    with fresh():
        services.record_remove(actor=world.alice, obj=Deal.objects.get(pk=first.pk))
    assert _day(world.nina, D(2025, 6, 1)).first_purchases == 1  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_an_older_deal_won_on_the_first_purchase_day_takes_its_place(world, fresh) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    with fresh():
        older = _won(world, owner="nina", closed=D(2025, 2, 1), customer=customer)
        older.outcome = "lost"
        services.deal_save(actor=world.alice, deal=older, creating=False)
        _won(world, closed=D(2025, 2, 1), customer=customer)
    assert FirstFact.objects.get(partition_id=customer.pk).fact_id != older.pk
    with fresh():  # same day, lower id: it sorts first
        _won(world, owner="nina", closed=D(2025, 2, 1), customer=customer,
             deal=Deal.objects.get(pk=older.pk), creating=False)  # fmt: skip
    assert FirstFact.objects.get(partition_id=customer.pk).fact_id == older.pk
    assert _day(world.nina, D(2025, 2, 1)).first_purchases == 1  # type: ignore[union-attr]
    assert _day(world.rita, D(2025, 2, 1)).first_purchases == 0  # type: ignore[union-attr]
    assert_rollups_match(world.acme)


def test_removing_a_days_deal_keeps_its_activities(world, fresh) -> None:  # type: ignore[no-untyped-def]
    rita = world.rita
    with fresh():
        deal = _won(world, closed=D(2025, 3, 4), amount="400.00")
        services.activity_save(actor=rita, creating=True, activity=f.ActivityFactory.build(
            organization=world.acme, owner=rita, customer=world.records["rita"].customer,
            date=D(2025, 3, 4)))  # fmt: skip
    with fresh():  # the deal's refresh writes the deal's columns only
        services.record_remove(actor=world.alice, obj=Deal.objects.get(pk=deal.pk))
    row = _day(rita, D(2025, 3, 4))
    assert row is not None and row.activities == 1
    assert (row.deals_won, row.won_amount, row.first_purchases) == (0, 0, 0)
    assert_rollups_match(world.acme)


def test_without_returning_emptied_rows_still_go(world, fresh, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The path for SQLite before 3.35, which has no RETURNING: the rows left
    all zero are looked for after the upsert."""
    from django.db import connection

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    with fresh():
        deal = _won(world, closed=D(2025, 3, 10))
    with fresh():
        _won(world, owner="nina", closed=D(2025, 4, 2), deal=Deal.objects.get(pk=deal.pk),
             creating=False)  # fmt: skip
    assert _day(world.rita, D(2025, 3, 10)) is None
    assert _day(world.nina, D(2025, 4, 2)).deals_won == 1  # type: ignore[union-attr]
    assert_rollups_match(world.acme)
