"""The base currency cannot be relabelled under recorded money (ADR 0013): a
plain change is refused with a clear error; a converting change converts every
amount (deals, prices, rates, money targets), writes an audit entry, and the
figures follow."""

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

from rumbo.goals.models import Goal, Milestone
from rumbo.metrics.models import ScorecardMetric
from rumbo.metrics.services import metrics_rebuild
from rumbo.sales import services
from rumbo.sales.models import Deal, ExchangeRate, Product
from rumbo.tenancy.currency import Conversion
from rumbo.tenancy.models import AuditEntry, Organization
from rumbo.tenancy.services import organization_update
from tests import factories as f
from tests.access.formdata import form_submission
from tests.metrics.checks import assert_rollups_match

pytestmark = pytest.mark.django_db
D = dt.date


def _revenue(slug: str = "acme") -> Decimal:
    out = StringIO()
    call_command("metrics", "show", "--org", slug, "--metric", "revenue", "--from",
                 "2025-03-01", "--to", "2025-03-31", "--format", "json", stdout=out)  # fmt: skip
    return Decimal(str(json.loads(out.getvalue())[0]["value"]))


def _change(world: Any, currency: str, conversion: Conversion | None = None) -> Organization:
    org = Organization.objects.get(pk=world.acme.pk)
    org.currency = currency
    return organization_update(actor=world.alice, organization=org, conversion=conversion)


@pytest.fixture
def books(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Acme (EUR): a USD rate of 0.90 from January 2025, Rita's USD deal of 1,000
    and Nina's EUR deal of 500 won in March 2025, a product listed at 200 EUR, a
    revenue goal of 10,000 EUR with a milestone of 4,000, and a scorecard whose
    revenue target is 5,000 EUR."""
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_rate_save(
            actor=world.alice, creating=True,
            rate=ExchangeRate(organization=world.acme, currency="USD", date=D(2025, 1, 1),
                              rate=Decimal("0.90")),
        )  # fmt: skip
        for name, currency, amount in (("rita", "USD", "1000.00"), ("nina", "EUR", "500.00")):
            deal = Deal(organization=world.acme, name=f"{name} March", currency=currency,
                        owner=world.members[name], customer=world.records[name].customer,
                        amount=Decimal(amount), created_on=D(2025, 1, 1), outcome="won",
                        stage="closed", closed_on=D(2025, 3, 10))  # fmt: skip
            services.deal_save(actor=world.alice, deal=deal, creating=True)
    Product.objects.filter(organization=world.acme).update(list_price=Decimal("200.00"))
    goal = Goal.objects.create(organization=world.acme, metric="revenue", member=world.rita,
                               target=Decimal("10000"), start=D(2025, 1, 1),
                               end=D(2025, 12, 31))  # fmt: skip
    Milestone.objects.create(goal=goal, day=D(2025, 6, 30), target=Decimal("4000"))
    ScorecardMetric.objects.create(organization=world.acme, metric="revenue", weight=1,
                                   target=Decimal("5000"))  # fmt: skip
    ScorecardMetric.objects.create(organization=world.acme, metric="deals_won", weight=1,
                                   target=Decimal("4"), position=1)  # fmt: skip
    metrics_rebuild(organization=world.acme)
    world.goal = goal
    world.after_commit = lambda: django_capture_on_commit_callbacks(execute=True)
    return world


def test_a_plain_change_is_refused_while_money_is_recorded(books) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _change(books, "USD")
    message = " ".join(refused.value.message_dict["currency"])
    assert "Money is already recorded in EUR" in message and "convert every amount" in message
    assert Organization.objects.get(pk=books.acme.pk).currency == "EUR"
    assert Deal.objects.get(name="nina March").amount_base == Decimal("500.00")
    unconfirmed = Conversion(rate=Decimal("1.10"), confirmed=False)
    with pytest.raises(ValidationError, match="convert every amount"):
        _change(books, "USD", unconfirmed)


def test_a_plain_change_is_fine_before_any_money(db) -> None:  # type: ignore[no-untyped-def]
    org = f.OrganizationFactory(currency="EUR")
    admin = f.MemberFactory(organization=org, role="admin")
    org.currency = "USD"
    organization_update(actor=admin, organization=org)
    assert Organization.objects.get(pk=org.pk).currency == "USD"
    assert not AuditEntry.objects.filter(organization=org, action="convert").exists()


def test_a_converting_change_converts_every_amount_with_an_audit_entry(books) -> None:  # type: ignore[no-untyped-def]
    assert _revenue() == 900 + 500 + 0  # the persona deals were won two days ago
    with books.after_commit():
        _change(books, "USD", Conversion(rate=Decimal("1.10"), confirmed=True))
    org = Organization.objects.get(pk=books.acme.pk)
    assert org.currency == "USD"
    # Each deal by the ordinary rule: a USD deal is worth its amount, a EUR deal × 1.10.
    assert Deal.objects.get(name="rita March").amount_base == Decimal("1000.00")
    assert Deal.objects.get(name="nina March").amount_base == Decimal("550.00")
    assert Deal.objects.get(pk=books.records["rita"].deal.pk).amount_base == Decimal("1320.00")
    assert _revenue() == 1550
    assert_rollups_match(org)
    rates = {(r.currency, r.rate) for r in ExchangeRate.objects.filter(organization=org)}
    assert rates == {("GBP", Decimal("1.26500000")), ("EUR", Decimal("1.10000000"))}
    assert set(Product.objects.filter(organization=org).values_list("list_price", flat=True)) == {
        Decimal("220.00")
    }
    goal = Goal.objects.get(pk=books.goal.pk)
    assert goal.target == Decimal("11000.00")
    assert goal.milestones.get().target == Decimal("4400.00")
    targets = dict(ScorecardMetric.objects.filter(organization=org).values_list("metric", "target"))
    assert targets == {"revenue": Decimal("5500.0000"), "deals_won": Decimal("4.0000")}
    entry = AuditEntry.objects.get(organization=org, action="convert")
    assert entry.actor == books.alice
    assert entry.changes["currency"] == ["EUR", "USD"] and entry.changes["rate"] == "1.10"
    assert "EUR" in entry.summary and "USD" in entry.summary


def test_the_rate_may_be_derived_from_the_stored_rates(books) -> None:  # type: ignore[no-untyped-def]
    with books.after_commit():
        _change(books, "USD", Conversion(rate=None, confirmed=True))
    # 1 USD was 0.90 EUR, so 1 EUR = 1 / 0.90 = 1.11111111 USD.
    assert Deal.objects.get(name="nina March").amount_base == Decimal("555.56")
    assert Deal.objects.get(name="rita March").amount_base == Decimal("1000.00")
    entry = AuditEntry.objects.get(organization=books.acme, action="convert")
    assert entry.changes["rate"] == "1.11111111" and entry.changes["derived"] is True


def test_no_rate_to_derive_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="no stored JPY rate"):
        _change(books, "JPY", Conversion(rate=None, confirmed=True))
    assert Organization.objects.get(pk=books.acme.pk).currency == "EUR"


def test_the_settings_page_refuses_then_converts(books) -> None:  # type: ignore[no-untyped-def]
    client, url = books.client("alice"), reverse("tenancy:organization")
    data = form_submission(client.get(url), url)
    assert data is not None
    refused = client.post(url, {**data, "currency": "USD"})
    assert refused.status_code == 400
    assert "Money is already recorded in EUR" in refused.content.decode()
    assert Organization.objects.get(pk=books.acme.pk).currency == "EUR"
    with books.after_commit():
        done = client.post(url, {**data, "currency": "USD", "conversion_rate": "1.10",
                                 "convert": "on"})  # fmt: skip
    assert done.status_code == 302
    assert Organization.objects.get(pk=books.acme.pk).currency == "USD"
    assert Deal.objects.get(name="nina March").amount_base == Decimal("550.00")
    assert _revenue() == 1550


def test_the_command_refuses_then_converts(books) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Money is already recorded in EUR"):
        call_command("currency", "--org", "acme", "--to", "USD", stdout=StringIO())
    out = StringIO()
    call_command("currency", "--org", "acme", "--to", "USD", "--rate", "1.10", "--convert",
                 stdout=out)  # fmt: skip
    assert "EUR → USD" in out.getvalue()
    assert Deal.objects.get(name="nina March").amount_base == Decimal("550.00")
    assert _revenue() == 1550  # rebuilt before the command returned


def test_an_implausible_conversion_rate_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="between 0.000001 and 1,000,000"):
        _change(books, "USD", Conversion(rate=Decimal("5000000"), confirmed=True))
    assert Organization.objects.get(pk=books.acme.pk).currency == "EUR"
    assert Deal.objects.get(name="nina March").amount_base == Decimal("500.00")


def test_a_rate_that_would_round_stored_rates_to_zero_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    ExchangeRate.objects.create(organization=books.acme, currency="JPY", date=D(2025, 1, 1),
                                rate=Decimal("0.001"))  # fmt: skip
    # 0.001 × 0.000001 is below the eight decimals a rate keeps: a 400, not a 500.
    with pytest.raises(ValidationError, match="would round to zero"):
        _change(books, "USD", Conversion(rate=Decimal("0.000001"), confirmed=True))
    assert Organization.objects.get(pk=books.acme.pk).currency == "EUR"
    assert Deal.objects.get(name="nina March").amount_base == Decimal("500.00")
