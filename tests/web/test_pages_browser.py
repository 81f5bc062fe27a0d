"""The page scripts in a real browser: pick a customer by typing, add product
lines and see their total, deals narrowed to the customer, fields shown only
when they matter, and no Content-Security-Policy violation on the way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rumbo.sales.models import Deal
from tests import factories as f
from tests.personas import PASSWORD
from tests.web.browser_scenarios import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def run(name: str, live_server: Any, email: str, **data: Any) -> dict[str, Any]:
    """Run a scenario of `browser_scenarios` in its own process and read its answer."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `apt-get install chromium`.")
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.browser_scenarios", name, live_server.url, email,
         PASSWORD, json.dumps(data)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    csp = [e for e in result.pop("console_errors") if "Content Security Policy" in e]
    assert csp == []
    return result


def test_rep_records_a_deal_with_lines_by_typing_the_customer(live_server, world) -> None:  # type: ignore[no-untyped-def]
    f.ProductFactory(organization=world.acme, name="Gadget", list_price=Decimal("40.00"))
    seen = run(
        "deal_with_lines", live_server, world.rita.user.email,
        customer_query="rita cust", product="Gadget", other_product="Acme widget",
    )  # fmt: skip
    customer = world.records["rita"].customer
    assert seen["picked"] == str(customer.pk)
    assert seen["suggested"] == "40.00"  # the list price fills the unit price
    assert (seen["total"], seen["amount"]) == ("€120.00", "120.00")
    deal = Deal.objects.get(name="Browser deal")
    assert deal.amount == Decimal("120.00") and deal.lines.count() == 1
    assert deal.customer_id == customer.pk


def test_deal_search_follows_the_chosen_customer(live_server, world) -> None:  # type: ignore[no-untyped-def]
    rita = world.records["rita"]
    other = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Other shop")
    f.DealFactory(organization=world.acme, owner=world.rita, customer=other, name="Other deal")
    seen = run("deal_follows_customer", live_server, world.rita.user.email,
               customer=rita.customer.pk, other_query="other")  # fmt: skip
    assert len(seen["options"]) == 1 and seen["options"][0].startswith("Rita deal")
    assert seen["deal"] == str(rita.deal.pk)
    # Choosing another customer clears the deal, which belonged to the first one.
    assert (seen["customer_after"], seen["deal_after"]) == (str(other.pk), "")


def test_loss_reason_shows_only_for_a_lost_deal(live_server, world) -> None:  # type: ignore[no-untyped-def]
    seen = run("loss_reason_visibility", live_server, world.rita.user.email)
    # [loss reason visible, close date visible]
    assert seen == {"open": [False, False], "lost": [True, True], "won": [False, True]}


def test_list_filter_by_customer_lookup_refreshes_results(live_server, world) -> None:  # type: ignore[no-untyped-def]
    seen = run("filter_by_customer", live_server, world.mark.user.email,
               customer_query="nina", must_vanish="Rita")  # fmt: skip
    assert "Nina deal" in seen["table"] and "Rita deal" not in seen["table"]
    assert f"customer={world.records['nina'].customer.pk}" in seen["url"]
    assert "outcome=" not in seen["url"]  # only the filters in use
