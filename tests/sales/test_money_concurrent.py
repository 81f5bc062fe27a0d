"""A deal saved while a rate that applies to it is saved, through the live
server on real threads: whichever commits first, the deal ends converted at
the rate that applies to it (ADR 0013: conversions and rate writes take turns)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from rumbo.sales.models import ExchangeRate
from rumbo.tenancy.services import api_token_create
from tests.personas import build_world
from tests.sales.live import at_once, live_server, request

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 8


def test_a_deal_saved_while_its_rate_is_saved_ends_at_the_rate_that_applies(
    tmp_path: Path,
) -> None:
    world = build_world()
    ExchangeRate.objects.create(organization=world.acme, currency="USD",
                                date=dt.date(2025, 1, 1), rate=Decimal("0.80"))  # fmt: skip
    alice = api_token_create(member=world.alice, name="alice")[1]
    customer = world.records["rita"].customer.pk
    with live_server(tmp_path) as base:
        for n in range(ROUNDS):
            day = (dt.date(2025, 3, 1) + dt.timedelta(days=n)).isoformat()
            deal = {"name": f"Race {n}", "owner_id": world.rita.pk, "customer_id": customer,
                    "outcome": "won", "stage": "closed", "created_on": "2025-01-01",
                    "closed_on": day, "currency": "USD", "amount": "1000.00"}  # fmt: skip
            rate = {"currency": "USD", "date": day, "rate": f"0.{90 + n}"}
            answers = at_once(
                partial(request, base, alice, "POST", "/deals", deal),
                partial(request, base, alice, "POST", "/rates", rate),
            )
            assert [status for status, _body in answers] == [201, 201], answers
            # Read back through the server (on SQLite it serves a copy of the database).
            status, saved = request(base, alice, "GET", f"/deals/{answers[0][1]['id']}")
            assert status == 200, saved
            # The rate of its own close date, whichever request committed first.
            assert Decimal(saved["amount_base"]) == Decimal(f"{900 + 10 * n}"), (n, saved)
