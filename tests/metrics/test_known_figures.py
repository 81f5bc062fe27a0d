"""Textbook examples give the textbook figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.metrics import registry
from rumbo.metrics.selectors import evaluate
from rumbo.metrics.services import metrics_rebuild
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 5, 6)


def _value(world, key: str) -> Decimal | None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)
    rows = evaluate(actor=world.alice, metric=registry.METRICS[key], start=DAY, end=DAY).rows
    return rows[0].value


def _answers(world, kind: str, scores: list[int]) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    for score in scores:
        f.SurveyResponseFactory(organization=world.acme, rep=world.rita, customer=customer,
                                kind=kind, score=score, responded_on=DAY)  # fmt: skip


def test_nps_of_five_promoters_three_passives_two_detractors_is_30(world) -> None:  # type: ignore[no-untyped-def]
    _answers(world, "nps", [10, 10, 9, 9, 9, 8, 7, 7, 6, 0])
    assert _value(world, "nps") == Decimal("30.00")


def test_nps_of_only_detractors_is_minus_100(world) -> None:  # type: ignore[no-untyped-def]
    _answers(world, "nps", [0, 3, 6])
    assert _value(world, "nps") == Decimal("-100.00")


def test_csat_counts_fours_and_fives_as_satisfied(world) -> None:  # type: ignore[no-untyped-def]
    # 20 answers: six 5s, six 4s, four 3s, two 2s, two 1s -> 12 satisfied of 20.
    _answers(world, "csat", [5] * 6 + [4] * 6 + [3] * 4 + [2] * 2 + [1] * 2)
    assert _value(world, "csat") == Decimal("60.00")
    assert _value(world, "avg_satisfaction") == Decimal("3.60")  # 72 / 20


def test_win_rate_deal_size_and_cycle(world) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    for outcome, amount, created in (("won", "1000", 10), ("won", "3000", 20),
                                     ("won", "2000", 30), ("lost", "500", 5)):  # fmt: skip
        f.DealFactory(organization=world.acme, owner=world.rita, customer=customer,
                      outcome=outcome, amount=Decimal(amount), amount_base=Decimal(amount),
                      created_on=DAY - dt.timedelta(days=created), closed_on=DAY)  # fmt: skip
    assert _value(world, "win_rate") == Decimal("75.00")
    assert _value(world, "revenue") == Decimal("6000.00")
    assert _value(world, "avg_deal_size") == Decimal("2000.00")
    assert _value(world, "sales_cycle_days") == Decimal("20.00")
    # One customer, three won deals the same day: the first (lowest id) is new.
    assert _value(world, "new_customers") == 1
    assert _value(world, "repeat_rate") == Decimal("66.67")
    assert _value(world, "repeat_revenue_share") == Decimal("83.33")  # 5000 of 6000
    assert _value(world, "complaint_rate") == Decimal("0.00")


def test_complaint_resolution_and_target(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    opened = dt.datetime(2025, 5, 6, 8, tzinfo=dt.UTC)
    for severity, hours in (("critical", 6), ("critical", 10), ("low", 100), ("high", 24)):
        f.ComplaintFactory(organization=world.acme, rep=world.rita, customer=customer,
                           severity=severity, opened_at=opened, status="resolved",
                           resolved_at=opened + dt.timedelta(hours=hours))  # fmt: skip
    f.ComplaintFactory(organization=world.acme, rep=world.rita, customer=customer,
                       opened_at=opened)  # still open  # fmt: skip
    assert _value(world, "resolution_hours") == Decimal("35.00")  # 140 / 4
    assert _value(world, "sla_met") == Decimal("75.00")  # 10 h on a critical one is late
