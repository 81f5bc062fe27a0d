"""Exchange rates keep base amounts true (ADR 0013): adding, correcting or
deleting a rate — by service, page, API or import — reconverts the deals it
applies to, and the revenue figures follow with no rebuild."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales import services
from rumbo.sales.models import Deal, ExchangeRate
from tests.imports.conftest import Importer
from tests.metrics.checks import assert_rollups_match
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db
D = dt.date
MARCH_10 = D(2025, 3, 10)


def _deal(world: Any, *, currency: str = "USD", amount: str = "1000.00",
          closed: dt.date | None = MARCH_10) -> Deal:  # fmt: skip
    """A deal of Rita's (Acme's base currency is EUR) saved through the service."""
    deal = Deal(organization=world.acme, name="Export", currency=currency,
                owner=world.rita, customer=world.records["rita"].customer,
                amount=Decimal(amount), created_on=D(2025, 1, 1))  # fmt: skip
    if closed is None:
        deal.outcome, deal.stage = "open", "proposal"
    else:
        deal.outcome, deal.stage, deal.closed_on = "won", "closed", closed
    return services.deal_save(actor=world.alice, deal=deal, creating=True)


def _rate(world: Any, currency: str, day: dt.date, rate: str) -> ExchangeRate:
    return services.exchange_rate_save(
        actor=world.alice, creating=True,
        rate=ExchangeRate(organization=world.acme, currency=currency, date=day,
                          rate=Decimal(rate)),
    )  # fmt: skip


def _revenue(start: str = "2025-03-01", end: str = "2025-03-31") -> Decimal:
    out = StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "revenue", "--from", start,
                 "--to", end, "--format", "json", stdout=out)  # fmt: skip
    return Decimal(str(json.loads(out.getvalue())[0]["value"]))


def _base(deal: Deal) -> Decimal | None:
    return Deal.objects.get(pk=deal.pk).amount_base


@pytest.fixture
def usd(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Acme (EUR) with a USD rate of 0.90 from 1 January 2025, a USD deal of
    1,000 won on 10 March (900 EUR) and fresh rollups."""
    with django_capture_on_commit_callbacks(execute=True):
        _rate(world, "USD", D(2025, 1, 1), "0.90")
        world.deal = _deal(world)
    metrics_rebuild(organization=world.acme)
    world.after_commit = lambda: django_capture_on_commit_callbacks(execute=True)
    return world


def test_a_new_rate_reconverts_the_deals_it_applies_to_and_revenue_follows(usd) -> None:  # type: ignore[no-untyped-def]
    assert _base(usd.deal) == Decimal("900.00")
    assert _revenue() == 900
    with usd.after_commit():
        _rate(usd, "USD", D(2025, 3, 1), "0.95")
    assert _base(usd.deal) == Decimal("950.00")
    assert _revenue() == 950
    # Every rollup (the first purchase's amount too) equals the source again.
    assert_rollups_match(usd.acme)


def test_a_rate_after_the_close_date_changes_nothing(usd) -> None:  # type: ignore[no-untyped-def]
    with usd.after_commit():
        _rate(usd, "USD", D(2025, 3, 11), "0.50")
    assert _base(usd.deal) == Decimal("900.00")
    assert _revenue() == 900


def test_correcting_a_rate_reconverts_and_revenue_follows(usd) -> None:  # type: ignore[no-untyped-def]
    rate = ExchangeRate.objects.get(organization=usd.acme, currency="USD")
    rate.rate = Decimal("0.80")
    with usd.after_commit():
        services.exchange_rate_save(actor=usd.alice, rate=rate, creating=False)
    assert _base(usd.deal) == Decimal("800.00")
    assert _revenue() == 800


def test_moving_a_rate_later_falls_back_to_the_earlier_one(usd) -> None:  # type: ignore[no-untyped-def]
    with usd.after_commit():
        march = _rate(usd, "USD", D(2025, 3, 1), "0.95")
    march.date = D(2025, 3, 20)  # a typo corrected: it came in after the deal closed
    with usd.after_commit():
        services.exchange_rate_save(actor=usd.alice, rate=march, creating=False)
    assert _base(usd.deal) == Decimal("900.00")
    assert _revenue() == 900


def test_deleting_a_rate_falls_back_and_one_that_leaves_a_deal_without_rate_is_refused(usd) -> None:  # type: ignore[no-untyped-def]
    with usd.after_commit():
        march = _rate(usd, "USD", D(2025, 3, 1), "0.95")
    with usd.after_commit():
        services.exchange_rate_delete(actor=usd.alice, obj=march)
    assert _base(usd.deal) == Decimal("900.00")
    assert _revenue() == 900
    january = ExchangeRate.objects.get(organization=usd.acme, currency="USD")
    with pytest.raises(ValidationError, match="1 deal in USD would have no exchange rate"):
        services.exchange_rate_delete(actor=usd.alice, obj=january)
    assert ExchangeRate.objects.filter(pk=january.pk).exists()
    assert _base(usd.deal) == Decimal("900.00")


def test_an_open_deal_follows_the_latest_rate(usd) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    open_deal = _deal(usd, closed=None, amount="2000.00")
    assert _base(open_deal) == Decimal("1800.00")
    _rate(usd, "USD", today - dt.timedelta(days=1), "1.10")
    assert _base(open_deal) == Decimal("2200.00")
    # A rate dated ahead takes effect on its day (the hourly job); not before.
    ahead = _rate(usd, "USD", today + dt.timedelta(days=3), "1.20")
    assert _base(open_deal) == Decimal("2200.00")
    ExchangeRate.objects.filter(pk=ahead.pk).update(date=today)  # its day has come
    from rumbo.sales.money import follow_today

    assert follow_today() == 1
    assert _base(open_deal) == Decimal("2400.00")
    assert _base(usd.deal) == Decimal("900.00")  # closed in March: its own rate


def test_an_open_deal_with_no_value_yet_stays_without_value(usd) -> None:  # type: ignore[no-untyped-def]
    blank = Deal.objects.create(organization=usd.acme, name="Blank", owner=usd.rita,
                                currency="USD", amount=Decimal(0), amount_base=None,
                                created_on=D(2025, 1, 1))  # fmt: skip
    _rate(usd, "USD", timezone.localdate(), "1.10")
    assert Deal.objects.get(pk=blank.pk).has_value is False


def test_a_rate_of_the_base_currency_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="base currency"):
        _rate(world, "EUR", D(2025, 1, 1), "1.10")


def test_a_rate_saved_on_the_page_reconverts(usd) -> None:  # type: ignore[no-untyped-def]
    client = usd.client("alice")
    with usd.after_commit():
        response = client.post(
            reverse("sales:exchangerate_create"),
            {"currency": "USD", "date": "2025-03-01", "rate": "0.97"},
        )
    assert response.status_code == 302, response.content[:2000]
    assert _base(usd.deal) == Decimal("970.00")
    assert _revenue() == 970


def test_rates_written_through_the_api_reconvert(usd) -> None:  # type: ignore[no-untyped-def]
    api = bearer(usd.alice)
    with usd.after_commit():
        created = call(api, "post", "/rates",
                       {"currency": "USD", "date": "2025-03-01", "rate": "0.97"})  # fmt: skip
    assert created.status_code == 201, created.content
    assert _revenue() == 970
    with usd.after_commit():
        changed = call(api, "patch", f"/rates/{created.json()['id']}", {"rate": "0.99"})
    assert changed.status_code == 200, changed.content
    assert _revenue() == 990
    with usd.after_commit():
        gone = call(api, "delete", f"/rates/{created.json()['id']}")
    assert gone.status_code == 204
    assert _revenue() == 900
    january = ExchangeRate.objects.get(organization=usd.acme, currency="USD")
    refused = call(api, "delete", f"/rates/{january.pk}")
    assert refused.status_code == 409 and "no exchange rate" in refused.json()["detail"]


def test_imported_rates_reconvert(usd, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "currency,date,rate\nUSD,2025-03-01,0.93\nGBP,2025-03-01,1.17\n"
    with usd.after_commit():
        result = Importer(usd, tmp_path).run("rates", "rates.csv", text)
    assert result.applied, result.problems
    assert _base(usd.deal) == Decimal("930.00")
    assert _revenue() == 930


def test_an_imported_history_converts_each_deal_at_its_own_days_rate(usd, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Twenty daily rates from 1 March (0.901, 0.902, ...): the deal closed on 10
    March takes that day's 0.910; a deal closed on 15 April the last, 0.920."""
    april = _deal(usd, closed=D(2025, 4, 15), amount="500.00")
    rows = "".join(
        f"USD,{(D(2025, 3, 1) + dt.timedelta(days=i)).isoformat()},0.9{i + 1:02d}\n"
        for i in range(20)
    )
    with usd.after_commit():
        result = Importer(usd, tmp_path).run("rates", "history.csv", "currency,date,rate\n" + rows)
    assert result.applied, result.problems
    assert _base(usd.deal) == Decimal("910.00")
    assert _base(april) == Decimal("460.00")
    assert _revenue() == 910
    assert_rollups_match(usd.acme)


def test_a_rate_that_would_overflow_the_base_amounts_is_refused(usd) -> None:  # type: ignore[no-untyped-def]
    huge = _deal(usd, amount="50000000.00", closed=D(2025, 3, 12))
    with pytest.raises(ValidationError, match="largest amount"):
        _rate(usd, "USD", D(2025, 3, 11), "9000000")
    assert not ExchangeRate.objects.filter(organization=usd.acme, date=D(2025, 3, 11)).exists()
    assert _base(huge) == Decimal("45000000.00")
