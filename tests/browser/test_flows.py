"""Key page flows in a real browser: log in, find a deal, record a customer,
read the site in Spanish, and no CSP violation on the way."""

from __future__ import annotations

import pytest

from rumbo.sales.models import Customer
from tests.browser.conftest import login
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_rep_logs_in_and_sees_only_own_deals(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, world.rita.user.email, PASSWORD)
    assert page.get_by_test_id("figure-revenue").inner_text().startswith("€")
    page.click("text=Deals")
    table = page.get_by_test_id("record-table")
    assert "Rita deal" in table.inner_text()
    assert "Sofia deal" not in page.content()
    assert csp_errors(page) == []


def test_manager_filters_deals_by_search(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}/deals/")
    assert "Nina deal" in page.get_by_test_id("record-table").inner_text()
    page.fill("main input[name=q]", "Nina")
    page.press("main input[name=q]", "Enter")
    table_js = "document.querySelector('[data-testid=record-table]').innerText"
    page.wait_for_function(f"() => !{table_js}.includes('Rita deal')")
    text = page.get_by_test_id("record-table").inner_text()
    assert "Nina deal" in text and "Rita deal" not in text
    assert "q=Nina" in page.url


def test_rep_records_a_customer_and_sees_errors_first(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, world.rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    page.click("main button[type=submit]")
    assert page.get_by_test_id("form-errors").is_visible()
    assert not Customer.objects.filter(name="Bodega Sol").exists()
    page.fill("#id_name", "Bodega Sol")
    page.select_option("#id_kind", "business")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Bodega Sol')")
    customer = Customer.objects.get(name="Bodega Sol")
    assert customer.owner_id == world.rita.pk
    assert csp_errors(page) == []


def test_spanish_speaker_reads_the_site_in_spanish(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    user = world.sofia.user
    user.language = "es"
    user.save()
    login(page, live_server, user.email, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Ingresos" in page.content()
    page.goto(f"{live_server.url}/deals/")
    assert "Negocios" in page.locator("h1").inner_text()
    # Money formatted for Spanish: the euro sign after the number.
    table = page.get_by_test_id("record-table").inner_text().replace("\u00a0", " ")
    assert "1.200,00 €" in table
