"""The open pipeline of a past period is valued at that period's rates; the
pipeline of today at today's (ADR 0013)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from rumbo.sales import services
from rumbo.sales.models import Deal, ExchangeRate

pytestmark = pytest.mark.django_db
D = dt.date


def _pipeline(start: dt.date, end: dt.date, *by: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "pipeline_value", "--from",
                 start.isoformat(), "--to", end.isoformat(), *by, "--format", "json",
                 stdout=out)  # fmt: skip
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _save(world: Any, deal: Deal) -> Deal:
    return services.deal_save(actor=world.alice, deal=deal, creating=True)


@pytest.fixture
def pipeline(world):  # type: ignore[no-untyped-def]
    """Acme (EUR): 1 USD was 0.90 EUR from January 2025 and is 1.10 EUR from June.
    Rita opened two USD deals of 1,000 in February 2025: one is still open, the
    other was won in July. Nothing else of Acme's was open in 2025."""
    for day, rate in ((D(2025, 1, 1), "0.90"), (D(2025, 6, 1), "1.10")):
        services.exchange_rate_save(
            actor=world.alice, creating=True,
            rate=ExchangeRate(organization=world.acme, currency="USD", date=day,
                              rate=Decimal(rate)),
        )  # fmt: skip
    common = {"organization": world.acme, "owner": world.rita, "currency": "USD",
              "customer": world.records["rita"].customer, "amount": Decimal("1000.00"),
              "created_on": D(2025, 2, 1)}  # fmt: skip
    world.still_open = _save(world, Deal(name="Still open", **common))
    world.won_later = _save(world, Deal(name="Won in July", outcome="won", stage="closed",
                                        closed_on=D(2025, 7, 15), **common))  # fmt: skip
    Deal.objects.filter(organization=world.acme, created_on__lt=D(2026, 1, 1)).exclude(
        pk__in=[world.still_open.pk, world.won_later.pk]
    ).delete()
    return world


def test_past_pipeline_is_valued_at_that_periods_rates(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Today both would be worth 1,100 EUR; at the end of March 2025 they were worth 900 each.
    assert Deal.objects.get(pk=pipeline.still_open.pk).amount_base == Decimal("1100.00")
    assert _pipeline(D(2025, 3, 1), D(2025, 3, 31)) == [{"value": 1800}]
    months = _pipeline(D(2025, 5, 1), D(2025, 7, 31), "--by", "month")
    assert months == [{"month": "2025-05", "value": 1800}, {"month": "2025-06", "value": 2200},
                      {"month": "2025-07", "value": 1100}]  # fmt: skip


def test_todays_pipeline_follows_todays_rate(pipeline) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    persona_open = sum(
        Deal.objects.filter(organization=pipeline.acme, outcome="open")
        .exclude(pk=pipeline.still_open.pk)
        .values_list("amount_base", flat=True),
        Decimal(0),
    )
    assert _pipeline(today, today) == [{"value": 1100 + persona_open}]
    services.exchange_rate_save(
        actor=pipeline.alice, creating=True,
        rate=ExchangeRate(organization=pipeline.acme, currency="USD", date=today,
                          rate=Decimal("1.25")),
    )  # fmt: skip
    assert _pipeline(today, today) == [{"value": 1250 + persona_open}]
    # March 2025 keeps its own rates.
    assert _pipeline(D(2025, 3, 1), D(2025, 3, 31)) == [{"value": 1800}]
