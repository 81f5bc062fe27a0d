"""The refresh runs in the background: a write only queues its keys and, after
commit, schedules a Huey task for them (run at once here: tests run Huey in
immediate mode). A new time zone schedules a full rebuild."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from rumbo.metrics import tasks
from rumbo.metrics.models import DirtyKey, RollupDay
from rumbo.metrics.services import metrics_rebuild, metrics_refresh_waiting
from rumbo.sales import services
from rumbo.sales.models import Complaint, Deal
from rumbo.tenancy.services import organization_update
from tests import factories as f
from tests.metrics.checks import assert_rollups_match

pytestmark = pytest.mark.django_db
D = dt.date


def _won(world: Any, closed: dt.date, amount: str = "100.00") -> Deal:
    deal = Deal(organization=world.acme, name="Won", currency="EUR", owner=world.rita,
                customer=world.records["rita"].customer, outcome="won", stage="closed",
                amount=Decimal(amount), created_on=D(2025, 1, 1), closed_on=closed)  # fmt: skip
    return services.deal_save(actor=world.alice, deal=deal, creating=True)


def _day(member: Any, day: dt.date) -> RollupDay | None:
    return RollupDay.objects.filter(member=member, day=day).first()


def test_a_write_leaves_the_refresh_to_a_background_task(
    world, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)
    scheduled: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks, "refresh_metrics", lambda *args: scheduled.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        _won(world, D(2025, 3, 10), "250.00")
    # The request only queued the key and scheduled the task: no figures yet.
    assert _day(world.rita, D(2025, 3, 10)) is None
    [(organization_id, ticket, sources)] = scheduled
    assert organization_id == world.acme.pk
    # what a deal can change (care: won deals followed up)
    assert sources == ["care_coverage", "deals", "first_purchases"]
    assert DirtyKey.objects.get().batch == -ticket
    monkeypatch.undo()
    tasks.refresh_metrics(organization_id, ticket, sources)  # what the worker runs
    row = _day(world.rita, D(2025, 3, 10))
    assert row is not None and row.won_amount == Decimal("250.00")
    assert not DirtyKey.objects.exists()
    assert_rollups_match(world.acme)


def test_a_deal_refresh_keeps_the_days_other_figures(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    f.ActivityFactory(organization=world.acme, owner=world.rita, customer=customer,
                      date=D(2025, 3, 10))  # fmt: skip
    metrics_rebuild(organization=world.acme)
    with django_capture_on_commit_callbacks(execute=True):
        deal = _won(world, D(2025, 3, 10))
    row = _day(world.rita, D(2025, 3, 10))
    assert row is not None and (row.deals_won, row.activities) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_remove(actor=world.alice, obj=Deal.objects.get(pk=deal.pk))
    row = _day(world.rita, D(2025, 3, 10))
    assert row is not None and (row.deals_won, row.activities) == (0, 1)
    assert_rollups_match(world.acme)


def test_keys_whose_task_never_ran_are_swept_up(world) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)
    _won(world, D(2025, 3, 10))  # no commit here, so no task was scheduled
    assert DirtyKey.objects.exists()
    assert metrics_refresh_waiting() >= 1  # its day, and where the first purchase was
    assert _day(world.rita, D(2025, 3, 10)).deals_won == 1  # type: ignore[union-attr]
    assert not DirtyKey.objects.exists()


def test_a_new_time_zone_moves_timestamped_facts_to_their_new_day(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    acme = world.acme
    acme.time_zone = "UTC"
    acme.save()
    # Opened at 23:30 UTC on 3 March: 4 March in Madrid.
    Complaint.objects.create(
        organization=acme, customer=world.records["rita"].customer, rep=world.rita,
        category="service", severity="high",
        opened_at=dt.datetime(2025, 3, 3, 23, 30, tzinfo=dt.UTC),
    )  # fmt: skip
    metrics_rebuild(organization=acme)
    assert _day(world.rita, D(2025, 3, 3)).complaints_opened == 1  # type: ignore[union-attr]
    acme.time_zone = "Europe/Madrid"
    with django_capture_on_commit_callbacks(execute=True):
        organization_update(actor=world.alice, organization=acme)
    assert _day(world.rita, D(2025, 3, 3)) is None
    assert _day(world.rita, D(2025, 3, 4)).complaints_opened == 1  # type: ignore[union-attr]
    assert_rollups_match(acme)


def test_saving_the_same_time_zone_schedules_no_rebuild(
    world, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    rebuilt: list[int] = []
    monkeypatch.setattr(tasks, "rebuild_metrics", rebuilt.append)
    world.acme.name = "Acme Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        organization_update(actor=world.alice, organization=world.acme)
    assert rebuilt == []
    world.acme.time_zone = "America/Mexico_City"
    with django_capture_on_commit_callbacks(execute=True):
        organization_update(actor=world.alice, organization=world.acme)
    assert rebuilt == [world.acme.pk]
