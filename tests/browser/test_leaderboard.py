"""The leaderboard in a real browser: a manager sees their people ranked,
switches to ranking by a metric (htmx swaps the table), and no CSP violation."""

from __future__ import annotations

import pytest

from rumbo.metrics.services import metrics_rebuild
from tests.browser.conftest import login
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_ranks_their_people_by_score_then_by_deals_won(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.click("nav >> text=Leaderboard")
    page.wait_for_url(f"{live_server.url}/leaderboard/")
    table = page.get_by_test_id("leaderboard-table")
    text = table.inner_text()
    assert "Nina" in text and "Rita" in text and "Sofia" not in page.content()
    page.select_option("#id_key", "deals_won")
    page.wait_for_url("**key=deals_won**")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=leaderboard-table]').innerText"
        ".includes('Deals won')"
    )
    assert page.get_by_test_id("standing").count() == 3  # Mark, Nina, Rita
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
