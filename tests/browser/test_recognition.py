"""Recognition in a real browser: a manager thanks a rep from the team feed;
the rep finds it on her home card (loaded by htmx), the bell and the feed,
at desktop and phone widths, with no CSP violation. Screenshots under
var/screenshots/recognition/."""

from __future__ import annotations

from pathlib import Path

import pytest

from rumbo.recognition.services import badge_award
from tests.browser.conftest import login
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots/recognition")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_thanks_a_rep_and_she_sees_it_at_home(page, live_server, world, width) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    badge_award(member=world.rita, rule="promoter", subject_key="customer:1",
                day=dt.date(2026, 11, 3))  # fmt: skip
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}/recognition/")
    form = page.get_by_test_id("kudos-form")
    form.locator("select[name=receiver]").select_option(label="Rita")
    form.locator("textarea[name=text]").fill("")
    form.locator("button[type=submit]").click()
    # An empty line: the browser itself refuses it (the field is required), nothing is sent.
    assert page.url.endswith("/recognition/")
    form = page.get_by_test_id("kudos-form")
    form.locator("select[name=receiver]").select_option(label="Rita")
    form.locator("textarea[name=text]").fill("Brilliant recovery of the Rita customer")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/recognition/#kudos-*")
    feed = page.get_by_test_id("feed").inner_text()
    assert "Mark thanks Rita" in feed and "Brilliant recovery" in feed and "Promoter" in feed
    page.screenshot(path=str(SHOTS / f"feed-manager-{width}.png"), full_page=True)
    page.context.clear_cookies()
    login(page, live_server, world.rita.user.email, PASSWORD)
    card = page.get_by_test_id("recognition-card")
    card.wait_for()
    assert "Brilliant recovery of the Rita customer" in card.inner_text()
    assert "Promoter" in card.inner_text()
    card.screenshot(path=str(SHOTS / f"home-card-rep-{width}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the home page runs off the right edge"
    page.goto(f"{live_server.url}/notifications/")
    assert "Kudos from Mark" in page.content() and "Badge earned: Promoter" in page.content()
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
