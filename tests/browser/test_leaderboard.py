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


def test_a_refused_period_says_why_in_place(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    """The filters refresh the table by htmx; a period beyond the limits answers
    400, and its reason shows where the table was (htmx drops 4xx by default)."""
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}/leaderboard/?period=custom&start=2026-01-01&end=2026-03-31")
    page.fill("#id_start", "1800-01-01")
    page.dispatch_event("#id_start", "change")
    refused = page.get_by_test_id("period-refused")
    refused.wait_for()
    assert "1900-01-01" in refused.inner_text()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_rep_sees_her_team_ranked_and_opens_only_her_own_row(page, live_server, world,  # type: ignore[no-untyped-def]
                                                               language) -> None:  # fmt: skip
    """Rita (North) sees Mark and Nina ranked beside her, her own row marked;
    only her own name is a link, and it opens her scorecard."""
    from pathlib import Path

    metrics_rebuild(organization=world.acme)
    world.rita.user.language = language
    world.rita.user.save(update_fields=["language"])
    login(page, live_server, world.rita.user.email, PASSWORD)
    page.goto(f"{live_server.url}/leaderboard/")
    table = page.get_by_test_id("leaderboard-table")
    text = table.inner_text()
    assert "Mark" in text and "Nina" in text and "Sofia" not in page.content()
    assert page.get_by_test_id("standing").count() == 3
    assert page.get_by_test_id("own-standing").is_visible()
    heading = page.locator("h1").inner_text()
    assert heading == ("Leaderboard" if language == "en" else "Clasificación")
    assert table.locator("a", has_text="Nina").count() == 0
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"var/screenshots/leaderboard-rep-{language}.png", full_page=True)
    table.locator("a", has_text="Rita").click()
    page.wait_for_url("**/scorecard/**")
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
