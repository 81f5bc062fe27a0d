"""The full rebuild: rollups equal the components computed from the source rows,
a second rebuild changes nothing, and the command line runs it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from rumbo.metrics.models import FirstFact, RollupDay, RollupMonth
from rumbo.metrics.services import RebuildResult, metrics_rebuild
from tests.metrics import data
from tests.metrics.checks import assert_rollups_match, mismatches

pytestmark = pytest.mark.django_db


def _reps(world):  # type: ignore[no-untyped-def]
    return [world.rita, world.nina, world.sofia, world.mark]


def test_rebuild_matches_the_source_rows(world) -> None:  # type: ignore[no-untyped-def]
    data.fill(world.acme, _reps(world))
    metrics_rebuild(organization=world.acme)
    assert_rollups_match(world.acme)


def test_rebuild_is_idempotent(world) -> None:  # type: ignore[no-untyped-def]
    data.fill(world.acme, _reps(world))
    first = metrics_rebuild(organization=world.acme)
    rows = list(RollupDay.objects.order_by("member_id", "day").values())
    second = metrics_rebuild(organization=world.acme)
    assert first.day_rows > 0 and first.month_rows > 0 and first.first_rows > 0
    assert second == RebuildResult(0, 0, 0, 0)  # nothing differs, so nothing is written
    assert list(RollupDay.objects.order_by("member_id", "day").values()) == rows


def test_rebuild_writes_only_what_changed(world) -> None:  # type: ignore[no-untyped-def]
    from rumbo.sales.models import Activity

    data.fill(world.acme, _reps(world))
    metrics_rebuild(organization=world.acme)
    activity = Activity.objects.filter(organization=world.acme).order_by("id").first()
    Activity.objects.filter(pk=activity.pk).update(date=dt.date(2030, 1, 1))  # behind its back
    result = metrics_rebuild(organization=world.acme)
    # The new day and month rows; the old day's row changed or went.
    assert (result.day_rows + result.deleted, result.month_rows) >= (2, 2)
    assert result.first_rows == 0
    assert_rollups_match(world.acme)


def test_rebuild_leaves_other_organisations_alone(world) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.globex)
    globex_rows = RollupDay.objects.filter(organization=world.globex).count()
    data.fill(world.acme, _reps(world))
    metrics_rebuild(organization=world.acme)
    assert RollupDay.objects.filter(organization=world.globex).count() == globex_rows > 0
    assert not mismatches(world.globex)


def test_a_timestamp_counts_on_its_local_date(world) -> None:  # type: ignore[no-untyped-def]
    """A complaint opened at 23:30 UTC is opened the next day in Madrid (UTC+1)."""
    from tests import factories as f

    world.acme.time_zone = "Europe/Madrid"
    world.acme.save()
    customer = world.records["rita"].customer
    f.ComplaintFactory(organization=world.acme, rep=world.rita, customer=customer,
                       opened_at=dt.datetime(2025, 3, 3, 23, 30, tzinfo=dt.UTC))  # fmt: skip
    metrics_rebuild(organization=world.acme)
    row = RollupDay.objects.get(member=world.rita, day=dt.date(2025, 3, 4))
    assert row.complaints_opened == 1
    assert_rollups_match(world.acme)


def test_every_customer_with_a_won_deal_has_one_first_purchase(world) -> None:  # type: ignore[no-untyped-def]
    from rumbo.sales.models import Deal

    data.fill(world.acme, _reps(world))
    metrics_rebuild(organization=world.acme)
    buyers = set(Deal.objects.filter(organization=world.acme, outcome="won")
                 .values_list("customer_id", flat=True))  # fmt: skip
    firsts = FirstFact.objects.filter(organization=world.acme)
    assert set(firsts.values_list("partition_id", flat=True)) == buyers
    total_first = sum(RollupMonth.objects.filter(organization=world.acme)
                      .values_list("first_purchases", flat=True))  # fmt: skip
    assert total_first == len(buyers) > 1


def test_rebuild_command(world) -> None:  # type: ignore[no-untyped-def]
    data.fill(world.acme, _reps(world))
    out = StringIO()
    call_command("metrics", "rebuild", "--org", "acme", stdout=out)
    assert "Rebuilt" in out.getvalue()
    assert_rollups_match(world.acme)


def test_a_first_build_leaves_every_index_in_place(world) -> None:  # type: ignore[no-untyped-def]
    """A first build into empty tables sets their secondary indexes aside while
    loading (PostgreSQL); they are all back afterwards."""
    from django.db import connection

    def indexes() -> dict[str, list[str]]:
        with connection.cursor() as cursor:
            return {
                model._meta.db_table: sorted(
                    connection.introspection.get_constraints(cursor, model._meta.db_table)
                )
                for model in (RollupDay, RollupMonth, FirstFact)
            }

    before = indexes()
    data.fill(world.acme, _reps(world))
    metrics_rebuild(organization=world.acme)
    assert indexes() == before
    assert_rollups_match(world.acme)
