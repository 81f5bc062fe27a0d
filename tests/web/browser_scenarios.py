"""Browser scenarios for the page scripts, run in a process of their own.

Each runs headless Chromium (Debian's package) through Playwright against a live
server and prints a JSON answer; the test reads it and checks the database. A
separate process keeps Playwright's event loop apart from any other browser
tests running in the same pytest session.

    python -m tests.web.browser_scenarios SCENARIO BASE_URL EMAIL PASSWORD DATA_JSON
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCENARIOS: dict[str, Callable[[Any, str, dict[str, Any]], dict[str, Any]]] = {}


def scenario(fn: Callable[[Any, str, dict[str, Any]], dict[str, Any]]) -> Any:
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def deal_with_lines(page: Any, base: str, data: dict[str, Any]) -> dict[str, Any]:
    """Type the customer, add two lines, remove one, save."""
    page.goto(f"{base}/deals/new/")
    page.fill("#id_name", "Browser deal")
    page.fill("#id_customer_search", data["customer_query"])
    page.wait_for_selector("#id_customer_options [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    picked = page.input_value("#id_customer")
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-0-product]", label=data["product"])
    suggested = page.input_value("input[name=lines-0-unit_price]")
    page.fill("input[name=lines-0-quantity]", "3")
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-1-product]", label=data["other_product"])
    page.click("[data-formset-remove] >> nth=1")
    total = page.inner_text("[data-lines-total]")
    amount = page.input_value("#id_amount")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Browser deal')")
    return {"picked": picked, "suggested": suggested, "total": total, "amount": amount}


@scenario
def deal_follows_customer(page: Any, base: str, data: dict[str, Any]) -> dict[str, Any]:
    """The deal search narrows to the customer; another customer clears the deal."""
    page.goto(f"{base}/activities/new/?customer={data['customer']}")
    page.click("#id_deal_search")
    page.wait_for_selector("#id_deal_options [role=option]")
    options = page.locator("#id_deal_options [role=option]").all_inner_texts()
    page.click("#id_deal_options [role=option] >> nth=0")
    deal = page.input_value("#id_deal")
    page.fill("#id_customer_search", data["other_query"])
    page.wait_for_selector("#id_customer_options [role=option]")
    page.click("#id_customer_options [role=option] >> nth=0")
    return {
        "options": options, "deal": deal, "customer_after": page.input_value("#id_customer"),
        "deal_after": page.input_value("#id_deal"),
    }  # fmt: skip


@scenario
def loss_reason_visibility(page: Any, base: str, data: dict[str, Any]) -> dict[str, Any]:
    page.goto(f"{base}/deals/new/")
    seen = {"open": [page.is_visible("#id_loss_reason"), page.is_visible("#id_closed_on")]}
    for outcome in ("lost", "won"):
        page.select_option("#id_outcome", outcome)
        seen[outcome] = [page.is_visible("#id_loss_reason"), page.is_visible("#id_closed_on")]
    return seen


@scenario
def filter_by_customer(page: Any, base: str, data: dict[str, Any]) -> dict[str, Any]:
    page.goto(f"{base}/deals/")
    page.click("text=More filters")
    page.fill("#id_customer_search", data["customer_query"])
    page.wait_for_selector("#id_customer_options [role=option]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "hidden => !document.querySelector('[data-testid=record-table]').innerText"
        ".includes(hidden)",
        arg=data["must_vanish"],
    )
    return {"table": page.get_by_test_id("record-table").inner_text(), "url": page.url}


def main() -> None:
    name, base, email, password, raw = sys.argv[1:6]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        result = SCENARIOS[name](page, base, json.loads(raw))
        result["console_errors"] = errors
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
