"""The fact rules hold in the database itself (ADR 0015): a row that breaks
one is refused whatever writes it — here the ORM and bulk_create, which skip
every form and service — on SQLite and PostgreSQL alike. Rows at the edge of
each rule are still accepted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from rumbo.metrics import registry
from rumbo.metrics.selectors import evaluate
from rumbo.metrics.services import metrics_rebuild
from rumbo.sales.models import Complaint, Deal, DealLine, ExchangeRate, Product, SurveyResponse
from tests.imports.conftest import Importer

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def importer(world, tmp_path) -> Importer:  # type: ignore[no-untyped-def]
    return Importer(world, tmp_path)


def _deal(world: Any, **fields: Any) -> Deal:
    """An unsaved won deal of Rita's that breaks no rule, changed by `fields`."""
    values: dict[str, Any] = {
        "organization": world.acme, "owner": world.rita, "name": "Checked",
        "customer": world.records["rita"].customer, "outcome": "won", "stage": "closed",
        "amount": Decimal("100.00"), "amount_base": Decimal("100.00"), "currency": "EUR",
        "created_on": DAY - dt.timedelta(days=7), "closed_on": DAY,
    }  # fmt: skip
    values.update(fields)
    return Deal(**values)


def _survey(world: Any, kind: str, score: int) -> SurveyResponse:
    rita = world.records["rita"]
    return SurveyResponse(organization=world.acme, rep=world.rita, customer=rita.customer,
                          kind=kind, score=score, responded_on=DAY)  # fmt: skip


def _complaint(world: Any, **fields: Any) -> Complaint:
    values: dict[str, Any] = {
        "organization": world.acme, "rep": world.rita, "category": "service",
        "customer": world.records["rita"].customer, "opened_at": NOON,
    }  # fmt: skip
    values.update(fields)
    return Complaint(**values)


def _line(world: Any, **fields: Any) -> DealLine:
    values: dict[str, Any] = {
        "deal": world.records["rita"].deal, "product": world.catalogue["acme"]["product"],
        "quantity": Decimal("1"), "unit_price": Decimal("10.00"),
    }  # fmt: skip
    values.update(fields)
    return DealLine(**values)


def _product(world: Any, price: str) -> Product:
    return Product(organization=world.acme, sku=f"P{price}", name="Priced",
                   list_price=Decimal(price))  # fmt: skip


def _rate(world: Any, rate: str) -> ExchangeRate:
    return ExchangeRate(organization=world.acme, currency="USD", date=DAY, rate=Decimal(rate))


BROKEN = {
    # The repeat rate counts won deals minus each customer's first: a won deal
    # without a customer would count as a repeat purchase.
    "won deal without a customer": lambda w: _deal(w, customer=None),
    "lost deal without a customer": lambda w: _deal(w, outcome="lost", customer=None),
    "won deal without a close date": lambda w: _deal(w, closed_on=None),
    "open deal with a close date": lambda w: _deal(w, outcome="open", stage="proposal"),
    "deal closed before it was created": lambda w: _deal(w, created_on=DAY + dt.timedelta(1)),
    "negative amount": lambda w: _deal(w, amount=Decimal("-1.00")),
    "negative base amount": lambda w: _deal(w, amount_base=Decimal("-0.01")),
    "loss reason on a won deal": lambda w: _deal(w, loss_reason="price"),
    "outcome outside the list": lambda w: _deal(w, outcome="maybe"),
    "CSAT of 0": lambda w: _survey(w, "csat", 0),
    "CSAT of 6": lambda w: _survey(w, "csat", 6),
    "NPS of 11": lambda w: _survey(w, "nps", 11),
    "survey of an unknown kind": lambda w: _survey(w, "ces", 3),
    "complaint resolved before it opened": lambda w: _complaint(
        w, status="resolved", resolved_at=NOON - dt.timedelta(seconds=1)
    ),
    "resolved complaint without a resolution time": lambda w: _complaint(w, status="resolved"),
    "open complaint with a resolution time": lambda w: _complaint(w, resolved_at=NOON),
    "deal line of no quantity": lambda w: _line(w, quantity=Decimal("0")),
    "deal line of negative quantity": lambda w: _line(w, quantity=Decimal("-1")),
    "deal line of negative price": lambda w: _line(w, unit_price=Decimal("-0.01")),
    "product of negative price": lambda w: _product(w, "-1.00"),
    "exchange rate of zero": lambda w: _rate(w, "0"),
    "negative exchange rate": lambda w: _rate(w, "-1.1"),
}

ACCEPTED = {
    "won deal closed the day it was created": lambda w: _deal(w, created_on=DAY),
    "won deal of unknown creation date": lambda w: _deal(w, created_on=None),
    "open deal of unknown creation date": lambda w: _deal(
        w, outcome="open", stage="proposal", closed_on=None, created_on=None, customer=None
    ),
    "lost deal with its reason": lambda w: _deal(w, outcome="lost", loss_reason="price"),
    "deal of no value yet": lambda w: _deal(
        w, outcome="open", closed_on=None, amount=Decimal(0), amount_base=None
    ),
    "CSAT of 1": lambda w: _survey(w, "csat", 1),
    "CSAT of 5": lambda w: _survey(w, "csat", 5),
    "NPS of 0": lambda w: _survey(w, "nps", 0),
    "NPS of 10": lambda w: _survey(w, "nps", 10),
    "complaint resolved the moment it opened": lambda w: _complaint(
        w, status="resolved", resolved_at=NOON
    ),
    "complaint in progress": lambda w: _complaint(w, status="in_progress"),
    "free deal line": lambda w: _line(w, unit_price=Decimal("0")),
    "free product": lambda w: _product(w, "0"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_database_refuses_a_row_breaking_a_rule(world, case: str) -> None:  # type: ignore[no-untyped-def]
    row = BROKEN[case](world)
    model = type(row)
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([BROKEN[case](world)])
    assert model.objects.count() == before


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_the_database_accepts_a_row_at_the_edge_of_a_rule(world, case: str) -> None:  # type: ignore[no-untyped-def]
    row = ACCEPTED[case](world)
    row.save()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_an_update_cannot_break_a_rule_either(world) -> None:  # type: ignore[no-untyped-def]
    deal = world.records["rita"].deal
    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(customer=None)
    deal.refresh_from_db()
    assert deal.customer_id is not None


def _cycle(world: Any, start: dt.date, end: dt.date) -> Decimal | None:
    metrics_rebuild(organization=world.acme)
    metric = registry.METRICS["sales_cycle_days"]
    return evaluate(actor=world.alice, metric=metric, start=start, end=end).rows[0].value


def test_the_sales_cycle_leaves_out_won_deals_of_unknown_creation_date(world) -> None:  # type: ignore[no-untyped-def]
    for created in (DAY - dt.timedelta(days=10), DAY - dt.timedelta(days=20), None):
        _deal(world, created_on=created).save()
    # (10 + 20) / 2; counting the undated deal as 0 days (or dividing by 3) gives 10.
    assert _cycle(world, DAY, DAY) == Decimal("15.00")


def test_a_new_deal_is_still_dated_today_by_the_form_and_the_api(world) -> None:  # type: ignore[no-untyped-def]
    from tests.tenancy.api_client import call

    customer = world.records["rita"].customer
    body = {"name": "Dated by the API", "customer_id": customer.pk, "amount": "5"}
    made = call(world.client("rita"), "post", "/deals", body)
    assert made.status_code == 201, made.content
    assert made.json()["created_on"] == timezone.localdate().isoformat()
    page = world.client("rita").get("/deals/new/")
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()
    refused = world.client("rita").post(
        "/deals/new/", {"name": "Undated", "stage": "prospecting", "outcome": "open",
                        "currency": "EUR", "amount": "5", "created_on": "",
                        "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert refused.status_code == 400  # the form again, with its error
    assert not Deal.objects.filter(name="Undated").exists()


UNDATED = """Deal,Owner,Customer,Stage,Closed on,Amount
Undated win,Rita,Rita customer,won,2026-03-05,100
Undated open,Rita,Rita customer,open,,50
"""

UNDATED_LINES = """Deal ID,Deal,Owner,Customer,Stage,Closed on,Product,Quantity,Unit price
U-1,Two lines,Rita,Rita customer,won,2026-03-05,Acme widget,2,100
U-1,Two lines,Rita,Rita customer,won,2026-03-05,Acme widget,1,50
"""


def test_an_import_without_creation_dates_leaves_them_empty(importer, world) -> None:  # type: ignore[no-untyped-def]
    first = importer.run("deals", "undated.csv", UNDATED)
    assert first.ok and first.created == 2, [p.line() for p in first.problems]
    deals = Deal.objects.filter(organization=world.acme, name__startswith="Undated")
    assert sorted((d.name, d.created_on) for d in deals) == [
        ("Undated open", None), ("Undated win", None)]  # fmt: skip
    # The same file again finds the same deals (by name, both undated): nothing new.
    again = importer.run("deals", "undated.csv", UNDATED)
    assert (again.created, again.unchanged) == (0, 2), [p.line() for p in again.problems]
    # A won deal of unknown age has no sales cycle (not 0 days).
    assert _cycle(world, dt.date(2026, 3, 5), dt.date(2026, 3, 5)) is None


def test_deal_lines_import_without_creation_dates(importer, world) -> None:  # type: ignore[no-untyped-def]
    result = importer.run("deals", "lines.csv", UNDATED_LINES)
    assert result.ok and result.created == 1, [p.line() for p in result.problems]
    deal = Deal.objects.get(organization=world.acme, external_id="U-1")
    assert (deal.created_on, deal.amount) == (None, Decimal("250.00"))
    assert sorted(line.quantity for line in deal.lines.all()) == [Decimal("1"), Decimal("2")]
    again = importer.run("deals", "lines.csv", UNDATED_LINES)
    assert (again.created, again.unchanged) == (0, 1), [p.line() for p in again.problems]


def test_pages_and_api_show_a_deal_of_unknown_creation_date(world) -> None:  # type: ignore[no-untyped-def]
    from tests.tenancy.api_client import call

    deal = _deal(world, created_on=None, name="Undated deal")
    deal.save()
    rita = world.client("rita")
    for url in ("/deals/", f"/deals/{deal.pk}/", f"/deals/{deal.pk}/edit/"):
        page = rita.get(url)
        assert page.status_code == 200, url
        assert "Undated deal" in page.content.decode() and ">None<" not in page.content.decode()
    assert call(rita, "get", f"/deals/{deal.pk}").json()["created_on"] is None
    # Editing it keeps the date empty: nobody has to invent one.
    form = rita.get(f"/deals/{deal.pk}/edit/").context["form"]
    assert form.fields["created_on"].required is False
