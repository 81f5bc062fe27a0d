"""Saved means shown (issue 17, item 6; ADR 0019): a won deal saved through
the deal form is on the home page the very next request, with no worker
running to refresh the rollups in the background. The writes commit for real
(transactional tests), so each one's job is queued after commit as in
production — and never runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.sales.models import Deal
from rumbo.web import formatting
from tests.dashboards.conftest import quarter
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Jobs are queued and never run (nobody consumes the queue)."""
    from huey.contrib.djhuey import HUEY

    queued: list[Any] = []
    monkeypatch.setattr(HUEY, "enqueue", queued.append)
    return queued


def _won_deal(world: Any, amount: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "name": "Saved and shown", "customer": world.records["rita"].customer.pk,
        "owner": world.rita.pk, "stage": "closed", "outcome": "won", "source": "",
        "amount": amount, "currency": "EUR", "created_on": today, "closed_on": today,
        "lines-TOTAL_FORMS": 0, "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000,
    }  # fmt: skip


def _revenue_in_quarter(world: Any) -> tuple[Decimal, int]:
    """Rita's won deals this quarter, counted from the deals themselves."""
    start, end = quarter(timezone.localdate())
    won = Deal.objects.filter(owner=world.rita, outcome="won", closed_on__range=(start, end))
    return won.aggregate(total=Sum("amount_base"))["total"] or Decimal(0), won.count()


def _home(client: Any) -> Page:
    with translation.override("en"):
        return Page(client.get(reverse("home")).content)


def test_a_won_deal_saved_on_the_form_is_on_the_next_page(dash, no_worker) -> None:  # type: ignore[no-untyped-def]
    client = dash.client("rita")
    before, won_before = _revenue_in_quarter(dash)
    with translation.override("en"):
        assert _home(client).text("figure-revenue") == formatting.money(before, "EUR")
    answer = client.post(reverse("sales:deal_create"), _won_deal(dash, "4321.00"))
    assert answer.status_code == 302
    after, won_after = _revenue_in_quarter(dash)
    assert after == before + Decimal("4321.00") and won_after == won_before + 1
    home = _home(client)
    with translation.override("en"):
        assert home.text("figure-revenue") == formatting.money(after, "EUR")
        assert home.text("figure-deals-won") == f"{won_after} deals won"
        # Her revenue goal follows the same write: its bar reads the new total.
        assert formatting.money(after, "EUR") in home.text("main-goal")
    assert no_worker, "the write queued its job as ever (the fallback): nobody ran it"


def test_without_the_refresh_in_the_request_figures_lag(dash, no_worker, settings) -> None:  # type: ignore[no-untyped-def]
    """The same write with the request's refresh taken out: the figures stay
    as they were until a worker runs (what people saw before ADR 0019)."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("SavedMeansShownMiddleware")
    ]
    client = dash.client("rita")
    before, _won = _revenue_in_quarter(dash)
    answer = client.post(reverse("sales:deal_create"), _won_deal(dash, "4321.00"))
    assert answer.status_code == 302
    with translation.override("en"):
        assert _home(client).text("figure-revenue") == formatting.money(before, "EUR")


def test_a_rejected_form_refreshes_nothing_and_shows_the_same_figures(dash, no_worker) -> None:  # type: ignore[no-untyped-def]
    client = dash.client("rita")
    before, _won = _revenue_in_quarter(dash)
    answer = client.post(reverse("sales:deal_create"), _won_deal(dash, ""))  # won needs an amount
    assert answer.status_code == 400 and not no_worker
    with translation.override("en"):
        assert _home(client).text("figure-revenue") == formatting.money(before, "EUR")
