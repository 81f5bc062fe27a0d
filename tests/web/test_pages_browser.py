"""The page scripts in a real browser: pick a customer by typing, add product
lines and see their total, deals narrowed to the customer, fields shown only
when they matter, and no Content-Security-Policy violation on the way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rumbo.sales.models import Deal
from tests import factories as f
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_rep_records_a_deal_with_lines_by_typing_the_customer(  # type: ignore[no-untyped-def]
    signed_in, live_server, world
) -> None:
    f.ProductFactory(organization=world.acme, name="Gadget", list_price=Decimal("40.00"))
    page = signed_in(world.rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/deals/new/")
    page.fill("#id_name", "Browser deal")
    page.fill("#id_customer_search", "rita cust")
    page.wait_for_selector("[data-lookup-options] [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_customer") == str(world.records["rita"].customer.pk)
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-0-product]", label="Gadget")
    assert page.input_value("input[name=lines-0-unit_price]") == "40.00"  # the list price
    page.fill("input[name=lines-0-quantity]", "3")
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-1-product]", label="Acme widget")
    page.click("[data-formset-remove] >> nth=1")  # changed my mind about the widget
    assert page.inner_text("[data-lines-total]") == "€120.00"
    assert page.input_value("#id_amount") == "120.00"
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Browser deal')")
    deal = Deal.objects.get(name="Browser deal")
    assert deal.amount == Decimal("120.00") and deal.lines.count() == 1
    assert deal.customer_id == world.records["rita"].customer.pk
    assert csp_errors(page) == []


def test_deal_search_follows_the_chosen_customer(signed_in, live_server, world) -> None:  # type: ignore[no-untyped-def]
    rita = world.records["rita"]
    other = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Other shop")
    f.DealFactory(organization=world.acme, owner=world.rita, customer=other, name="Other deal")
    page = signed_in(world.rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/activities/new/?customer={rita.customer.pk}")
    page.click("#id_deal_search")
    page.wait_for_selector("#id_deal_options [role=option]")
    options = page.locator("#id_deal_options [role=option]").all_inner_texts()
    assert len(options) == 1 and options[0].startswith("Rita deal")
    page.click("#id_deal_options [role=option]")
    assert page.input_value("#id_deal") == str(rita.deal.pk)
    # Choosing another customer clears the deal, which belonged to the first one.
    page.fill("#id_customer_search", "other")
    page.wait_for_selector("#id_customer_options [role=option]")
    page.click("#id_customer_options [role=option]")
    assert page.input_value("#id_customer") == str(other.pk)
    assert page.input_value("#id_deal") == ""
    assert csp_errors(page) == []


def test_loss_reason_shows_only_for_a_lost_deal(signed_in, live_server, world) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(world.rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/deals/new/")
    assert not page.is_visible("#id_loss_reason")
    assert not page.is_visible("#id_closed_on")
    page.select_option("#id_outcome", "lost")
    assert page.is_visible("#id_loss_reason") and page.is_visible("#id_closed_on")
    page.select_option("#id_outcome", "won")
    assert not page.is_visible("#id_loss_reason") and page.is_visible("#id_closed_on")
    assert csp_errors(page) == []


def test_list_filter_by_customer_lookup_refreshes_results(signed_in, live_server, world) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}/deals/")
    page.click("text=More filters")
    page.fill("#id_customer_search", "nina")
    page.wait_for_selector("#id_customer_options [role=option]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=record-table]').innerText.includes('Rita')"
    )
    assert "Nina deal" in page.get_by_test_id("record-table").inner_text()
    assert f"customer={world.records['nina'].customer.pk}" in page.url
    assert "outcome=" not in page.url  # only the filters in use
    assert csp_errors(page) == []
