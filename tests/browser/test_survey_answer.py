"""A customer opens the survey link from their email on a phone and answers it
(issue 18 item 3), in English and in Spanish: the score chosen in the email is
preselected, the answer lands as the rep's survey response. Screenshots under
var/screenshots/surveys/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rumbo.care import surveys
from rumbo.care.models import FollowUp
from rumbo.sales.models import SurveyResponse
from tests.care.conftest import make_plan, today, win
from tests.mail import Inbox
from tests.personas import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "surveys"
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_customer_answers_the_emailed_survey_on_a_phone(  # type: ignore[no-untyped-def]
    browser, live_server, world: World, smtp: Inbox, language: str
) -> None:
    world.acme.language = language
    world.acme.save()
    make_plan(world)
    contact = world.records["rita"].contact
    contact.email = "buyer@example.com"
    contact.save()
    deal = win(world, "rita")
    FollowUp.objects.filter(deal=deal, kind="survey").update(due_on=today())
    surveys.due_run()
    text = smtp.messages[0].get_body(preferencelist=("plain",))
    assert text is not None
    link = next(u for u in re.findall(r"https?://\S+", str(text.get_content()))
                if u.endswith("score=2"))  # fmt: skip
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#score-2").is_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"answer-{language}.png"), full_page=True)
    page.locator("[data-testid=score-3]").tap()
    page.fill("#comment", "Arrived late")
    page.locator("[data-testid=survey-send]").tap()
    page.wait_for_selector("[data-testid=survey-message]")
    page.screenshot(path=str(SHOTS / f"thanks-{language}.png"), full_page=True)
    context.close()
    response = SurveyResponse.objects.get(comment="Arrived late")
    assert (response.score, response.rep, response.channel) == (3, world.rita, "email")
