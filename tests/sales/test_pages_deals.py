"""The deal form: product lines (an inline formset), the amount computed from
them, techniques, the loss reason, and errors that write nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from rumbo.sales.models import Deal, DealLine
from tests import factories as f

pytestmark = pytest.mark.django_db


def deal_data(world: Any, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A deal form post with `lines` (product, quantity, unit_price, id, DELETE)."""
    data: dict[str, Any] = {
        "name": "Fleet renewal", "customer": world.records["rita"].customer.pk,
        "owner": world.rita.pk, "stage": "proposal", "outcome": "open", "source": "",
        "amount": "", "currency": "EUR", "created_on": "2026-02-01",
        "lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": extra.pop("initial", 0),
        "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{i}-{key}"] = value
    data.update(extra)
    return data


def test_deal_with_lines_takes_its_amount_from_them(world) -> None:  # type: ignore[no-untyped-def]
    widget = world.catalogue["acme"]["product"]
    gadget = f.ProductFactory(organization=world.acme, name="Gadget", list_price=Decimal("5"))
    technique = world.catalogue["acme"]["technique"]
    lines = [
        {"product": widget.pk, "quantity": "3", "unit_price": "100.00"},
        {"product": gadget.pk, "quantity": "2.5", "unit_price": "4.10"},
    ]
    response = world.client("rita").post(
        reverse("sales:deal_create"),
        deal_data(world, lines, amount="1", techniques=[technique.pk]),
    )
    deal = Deal.objects.get(name="Fleet renewal")
    assert response.status_code == 302
    assert deal.amount == Decimal("310.25")  # 300 + 10.25: the typed amount is ignored
    assert deal.amount_base == Decimal("310.25")
    assert sorted((ln.product.name, ln.quantity) for ln in deal.lines.all()) == [
        ("Acme widget", Decimal("3.00")), ("Gadget", Decimal("2.50")),
    ]  # fmt: skip
    assert list(deal.techniques.all()) == [technique]
    detail = world.client("rita").get(reverse("sales:deal_detail", args=[deal.pk]))
    html = detail.content.decode()
    assert "€310.25" in html and 'data-testid="lines-total"' in html and "Acme SPIN" in html


def test_deal_without_lines_keeps_the_typed_amount(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("rita").post(
        reverse("sales:deal_create"), deal_data(world, [], amount="950.00")
    )
    assert response.status_code == 302
    deal = Deal.objects.get(name="Fleet renewal")
    assert deal.amount == Decimal("950.00") and not deal.lines.exists()


def test_deal_needs_an_amount_or_lines(world) -> None:  # type: ignore[no-untyped-def]
    # A won deal (an open one may have no value yet: tests/imports/test_fixable_files.py).
    response = world.client("rita").post(
        reverse("sales:deal_create"), deal_data(world, [], outcome="won", closed_on="2026-03-01")
    )
    assert response.status_code == 400
    assert "Enter the amount, or add product lines." in response.content.decode()
    assert not Deal.objects.filter(name="Fleet renewal").exists()


def test_invalid_line_is_shown_on_its_row_and_nothing_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    widget = world.catalogue["acme"]["product"]
    lines = [
        {"product": widget.pk, "quantity": "2", "unit_price": "10"},
        {"product": widget.pk, "quantity": "0", "unit_price": "10"},
    ]
    before = DealLine.objects.count()
    response = world.client("rita").post(reverse("sales:deal_create"), deal_data(world, lines))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please check the product lines." in html
    assert "Ensure this value is greater than or equal to 0.01." in html
    assert not Deal.objects.filter(name="Fleet renewal").exists()
    assert DealLine.objects.count() == before
    # The posted rows come back for correction, not emptied.
    assert 'name="lines-1-quantity" value="0"' in html


def test_line_with_another_organisations_product_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    foreign = world.catalogue["globex"]["product"]
    lines = [{"product": foreign.pk, "quantity": "1", "unit_price": "10"}]
    response = world.client("rita").post(reverse("sales:deal_create"), deal_data(world, lines))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Deal.objects.filter(name="Fleet renewal").exists()


def test_editing_a_deal_removes_and_changes_lines(world) -> None:  # type: ignore[no-untyped-def]
    deal = world.records["rita"].deal
    widget = world.catalogue["acme"]["product"]
    keep = DealLine.objects.create(deal=deal, product=widget, quantity=1, unit_price=100)
    drop = DealLine.objects.create(deal=deal, product=widget, quantity=5, unit_price=1)
    client = world.client("rita")
    form = client.get(reverse("sales:deal_edit", args=[deal.pk])).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in form
    lines = [
        {"id": keep.pk, "product": widget.pk, "quantity": "2", "unit_price": "100"},
        {"id": drop.pk, "product": widget.pk, "quantity": "5", "unit_price": "1", "DELETE": "on"},
    ]
    data = deal_data(world, lines, initial=2, name=deal.name, outcome="won", stage="closed",
                     closed_on=deal.closed_on.isoformat(), created_on="2026-01-01")  # fmt: skip
    response = client.post(reverse("sales:deal_edit", args=[deal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    deal.refresh_from_db()
    assert deal.amount == Decimal("200.00")
    assert [(ln.quantity, ln.unit_price) for ln in deal.lines.all()] == [
        (Decimal("2.00"), Decimal("100.00"))
    ]


def test_loss_reason_counts_only_for_a_lost_deal(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    won = deal_data(world, [], amount="10", outcome="won", stage="closed",
                    closed_on="2026-02-10", loss_reason="price")  # fmt: skip
    assert client.post(reverse("sales:deal_create"), won).status_code == 302
    assert Deal.objects.get(name="Fleet renewal").loss_reason == ""
    lost = deal_data(world, [], amount="10", outcome="lost", stage="closed",
                     closed_on="2026-02-10", loss_reason="competitor", name="Lost one")  # fmt: skip
    assert client.post(reverse("sales:deal_create"), lost).status_code == 302
    assert Deal.objects.get(name="Lost one").loss_reason == "competitor"


def test_won_deal_without_close_date_shows_the_error(world) -> None:  # type: ignore[no-untyped-def]
    data = deal_data(world, [], amount="10", outcome="won", stage="closed")
    response = world.client("rita").post(reverse("sales:deal_create"), data)
    assert response.status_code == 400
    assert "A won or lost deal needs a close date." in response.content.decode()
    assert not Deal.objects.filter(name="Fleet renewal").exists()


def test_deal_in_a_currency_without_rate_is_refused_on_the_currency(world) -> None:  # type: ignore[no-untyped-def]
    data = deal_data(world, [], amount="10", currency="JPY")
    response = world.client("rita").post(reverse("sales:deal_create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-currency"' in html and "no JPY exchange rate" in html
    assert not Deal.objects.filter(name="Fleet renewal").exists()


def test_deal_form_renders_lines_products_with_list_prices(world) -> None:  # type: ignore[no-untyped-def]
    html = world.client("rita").get(reverse("sales:deal_create")).content.decode()
    widget = world.catalogue["acme"]["product"]
    assert 'data-formset="lines"' in html and "<template data-formset-template>" in html
    assert f'value="{widget.pk}" data-price="{widget.list_price:.2f}"' in html
    assert "Globex widget" not in html
    # Customers are searched, never listed: no customer <select> on the page.
    assert 'name="customer"' in html and '<select name="customer"' not in html
