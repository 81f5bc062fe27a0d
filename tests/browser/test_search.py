"""The navigation's search box in a real browser: typing shows the results
grouped by kind in a dropdown (htmx), only what the user may see, accents
ignored; Enter opens the full page; it works at phone width; no CSP violation."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.conftest import login
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [e for e in page.console_errors if "Content Security Policy" in e]


def _customers(world) -> None:  # type: ignore[no-untyped-def]
    f.CustomerFactory(organization=world.acme, owner=world.rita, name="Muñoz Hermanos",
                      city="Sevilla")  # fmt: skip
    f.CustomerFactory(organization=world.acme, owner=world.sofia, name="Muñoz Trading")


def test_typing_in_the_box_shows_grouped_results(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    _customers(world)
    login(page, live_server, world.rita.user.email, PASSWORD)
    box = page.get_by_test_id("search-input")
    box.press_sequentially("munoz", delay=40)
    dropdown = page.get_by_test_id("search-dropdown")
    group = dropdown.get_by_test_id("search-group-customers")
    group.wait_for()
    text = dropdown.inner_text()
    assert "Muñoz Hermanos" in text and "Sevilla" in text
    assert "Trading" not in text  # Sofia's
    assert group.get_by_test_id("search-count").inner_text() == "1"
    page.screenshot(path="/tmp/search-desktop.png")
    # Escape closes the dropdown (and the browser empties a search field);
    # Enter opens the full results page.
    box.press("Escape")
    assert not dropdown.is_visible()
    box.fill("munoz")
    box.press("Enter")
    page.wait_for_url("**/search/?q=munoz")
    assert "Muñoz Hermanos" in page.get_by_test_id("search-group-customers").inner_text()
    # A result opens the record.
    page.get_by_role("link", name="Muñoz Hermanos").click()
    page.wait_for_selector("h1:has-text('Muñoz Hermanos')")
    assert csp_errors(page) == []


def test_the_box_works_at_phone_width(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    _customers(world)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.click(".navbar-toggler")
    box = page.get_by_test_id("search-input")
    box.wait_for(state="visible")
    box.press_sequentially("rita", delay=40)
    results = page.get_by_test_id("search-results")
    results.wait_for()
    assert "Rita customer" in results.inner_text()
    page.screenshot(path="/tmp/search-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
    box_right = results.bounding_box()
    assert box_right is not None and box_right["x"] >= 0
    assert box_right["x"] + box_right["width"] <= 390
    assert csp_errors(page) == []
