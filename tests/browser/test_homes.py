"""Each role's home in a real browser, at desktop and phone widths (issue 17,
item 4): the director and a manager who does not sell get what they act on
and no seller's page; a rep her goals and next steps. Screenshots are kept
under var/screenshots/home/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import login
from tests.dashboards import conftest as dashboards
from tests.personas import PASSWORD

dash = dashboards.dash  # the fixture: the personas world with goals running today
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.PROJECT_DIR) / "var" / "screenshots" / "home"

# who: (what their home shows, what it must not)
HOMES = {
    "alice": (["attention", "team-table", "leaderboard-panel"], ["tab-my-goals", "main-goal"]),
    "sam": (["attention", "rep-table", "scorecard-panel"], ["tab-my-goals", "main-goal"]),
    "mark": (["attention", "rep-table", "tab-my-goals"], ["main-goal"]),
    "rita": (["main-goal", "todo"], ["attention", "dashboard-tabs"]),
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("who", list(HOMES))
def test_each_role_has_its_own_home(page, live_server, dash, who, width) -> None:  # type: ignore[no-untyped-def]
    shows, hides = HOMES[who]
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, dash.members[who].user.email, PASSWORD)
    page.wait_for_selector("[data-testid=home-figures]")
    for testid in shows:
        assert page.locator(f"[data-testid={testid}]").count() >= 1, testid
    for testid in hides:
        assert page.locator(f"[data-testid={testid}]").count() == 0, testid
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{who}-{width}.png"), full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
