"""Satisfaction surveys by email (issue 18, item 3): the survey step of a plan
coming due emails the customer's contact over a real SMTP conversation; the
link in that email answers the survey once, for the deal's rep."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from rumbo.care import surveys
from rumbo.care.models import CarePlan, FollowUp, SurveyInvitation, SurveyOptOut
from rumbo.sales.models import SurveyResponse
from rumbo.tenancy.models import AuditEntry
from tests.care.conftest import today, win
from tests.mail import Inbox
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def survey_due(world: World, plan: CarePlan, email: str = "buyer@example.com") -> FollowUp:
    """Rita wins a deal; its survey step is moved to today; her customer's contact has `email`."""
    contact = world.records["rita"].contact
    contact.email = email
    contact.save()
    deal = win(world, "rita")
    follow_up = FollowUp.objects.get(deal=deal, kind="survey")
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=today())
    return follow_up


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def links(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", body(message))


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_survey_step_coming_due_emails_the_contact_a_link_per_score(
    world: World, plan: CarePlan, smtp: Inbox
) -> None:
    follow_up = survey_due(world, plan)
    surveys.due_run()
    assert smtp.recipients == [["buyer@example.com"]]
    urls = links(smtp.messages[0])
    assert [u.rsplit("=", 1)[1] for u in urls if "score=" in u] == ["1", "2", "3", "4", "5"]
    assert any(u.endswith("/unsubscribe/") for u in urls)
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert follow_up.activity is not None
    assert "buyer@example.com" in follow_up.activity.notes


def test_answering_through_the_link_records_the_response_for_the_rep(
    world: World, plan: CarePlan, smtp: Inbox
) -> None:
    survey_due(world, plan)
    surveys.due_run()
    four = next(u for u in links(smtp.messages[0]) if u.endswith("score=4"))
    page = Client().get(path_of(four))
    assert page.status_code == 200
    assert b'value="4" id="score-4" autocomplete="off" checked' in page.content
    token_path = path_of(four).split("?")[0]
    done = Client().post(token_path, {"score": "4", "comment": "Quick delivery",
                                      "reasons": ["delivery"]})  # fmt: skip
    assert done.status_code == 200
    assert b"Thank you" in done.content
    response = SurveyResponse.objects.get(comment="Quick delivery")
    assert (response.score, response.kind, response.channel) == (4, "csat", "email")
    assert response.rep == world.rita
    assert response.deal is not None and response.deal.owner == world.rita
    # Single use: a second answer is refused politely and records nothing.
    again = Client().post(token_path, {"score": "1"})
    assert again.status_code == 409
    assert b"already been answered" in again.content
    assert SurveyResponse.objects.filter(comment="Quick delivery").count() == 1
    assert not SurveyResponse.objects.filter(score=1, channel="email", rep=world.rita,
                                             responded_on=today()).exists()  # fmt: skip


def test_an_expired_survey_is_refused_politely(world: World, plan: CarePlan, smtp: Inbox) -> None:
    survey_due(world, plan)
    surveys.due_run()
    SurveyInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    url = path_of(links(smtp.messages[0])[0]).split("?")[0]
    before = SurveyResponse.objects.count()
    assert Client().get(url).status_code == 410
    answer = Client().post(url, {"score": "5"})
    assert answer.status_code == 410
    assert b"closed" in answer.content
    assert SurveyResponse.objects.count() == before


def test_a_wrong_or_unknown_token_is_not_found(world: World, plan: CarePlan, smtp: Inbox) -> None:
    survey_due(world, plan)
    surveys.due_run()
    url = path_of(links(smtp.messages[0])[0]).split("?")[0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    wrong = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert Client().get(wrong).status_code == 404
    assert Client().post(wrong, {"score": "5"}).status_code == 404
    assert Client().get("/survey/nothing-here/").status_code == 404


def test_a_signed_in_member_cannot_answer_and_is_logged(
    world: World, plan: CarePlan, smtp: Inbox
) -> None:
    survey_due(world, plan)
    surveys.due_run()
    url = path_of(links(smtp.messages[0])[0]).split("?")[0]
    before = SurveyResponse.objects.count()
    refused = world.client("rita").post(url, {"score": "5"})
    assert refused.status_code == 403
    assert SurveyResponse.objects.count() == before
    entry = AuditEntry.objects.get(action="survey_refused")
    assert entry.actor == world.rita
    # The customer can still answer afterwards.
    assert Client().post(url, {"score": "5"}).status_code == 200


def test_no_second_survey_to_the_same_address_within_30_days(
    world: World, plan: CarePlan, smtp: Inbox
) -> None:
    survey_due(world, plan)
    surveys.due_run()
    second = survey_due(world, plan)  # another deal won for the same customer
    surveys.due_run()
    assert len(smtp.messages) == 1
    second.refresh_from_db()
    assert second.status == "done"
    assert second.activity is not None
    assert "30 days" in second.activity.notes


def test_an_unsubscribed_address_gets_no_more_surveys(
    world: World, plan: CarePlan, smtp: Inbox
) -> None:
    survey_due(world, plan)
    surveys.due_run()
    unsubscribe = path_of(next(u for u in links(smtp.messages[0]) if "unsubscribe" in u))
    assert Client().get(unsubscribe).status_code == 200
    assert not SurveyOptOut.objects.exists()  # opening the link alone changes nothing
    assert Client().post(unsubscribe).status_code == 200
    SurveyInvitation.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    survey_due(world, plan)
    surveys.due_run()
    assert len(smtp.messages) == 1


def test_one_reminder_after_three_days_then_none(world: World, plan: CarePlan, smtp: Inbox) -> None:
    survey_due(world, plan)
    surveys.due_run()
    assert surveys.due_run(now=timezone.now() + dt.timedelta(days=2)) == (0, 0)
    assert surveys.due_run(now=timezone.now() + dt.timedelta(days=3, hours=1)) == (0, 1)
    assert surveys.due_run(now=timezone.now() + dt.timedelta(days=9)) == (0, 0)
    assert len(smtp.messages) == 2
    assert "Reminder" in str(smtp.messages[1]["Subject"])
    # Both links open the same survey.
    first, second = (path_of(links(m)[0]).split("?")[0] for m in smtp.messages)
    assert first != second
    assert Client().post(second, {"score": "3"}).status_code == 200
    assert Client().post(first, {"score": "3"}).status_code == 409


def test_a_spanish_organisation_asks_in_spanish(world: World, plan: CarePlan, smtp: Inbox) -> None:
    world.acme.language = "es"
    world.acme.save()
    survey_due(world, plan)
    surveys.due_run()
    html = smtp.messages[0].get_body(preferencelist=("html",))
    assert html is not None and '<html lang="es">' in str(html.get_content())
    url = path_of(links(smtp.messages[0])[0]).split("?")[0]
    page = Client().get(url)
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in page.content.decode()


def test_send_survey_from_a_follow_up_page(world: World, plan: CarePlan, smtp: Inbox) -> None:
    follow_up = survey_due(world, plan)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=today() + dt.timedelta(days=20))
    answer = world.client("rita").post(f"/follow-ups/{follow_up.pk}/send-survey/")
    assert answer.status_code == 302
    assert smtp.recipients == [["buyer@example.com"]]
    # Another rep's follow-up answers 404 and sends nothing.
    assert world.client("sofia").post(f"/follow-ups/{follow_up.pk}/send-survey/").status_code == 404
    assert len(smtp.messages) == 1


def test_answers_are_rate_limited(world: World, plan: CarePlan, smtp: Inbox) -> None:
    survey_due(world, plan)
    surveys.due_run()
    url = path_of(links(smtp.messages[0])[0]).split("?")[0]
    tries = range(surveys.POSTS_PER_TOKEN + 1)
    codes = [Client().post(url, {"score": "x"}).status_code for _ in tries]
    assert codes[:-1] == [400] * surveys.POSTS_PER_TOKEN
    assert codes[-1] == 429


def test_the_follow_up_page_offers_to_send_the_survey(world: World, plan: CarePlan) -> None:
    follow_up = survey_due(world, plan)
    page = world.client("rita").get(f"/follow-ups/{follow_up.pk}/")
    assert b'data-testid="send-survey"' in page.content


def test_a_token_opens_exactly_one_survey(world: World, plan: CarePlan, smtp: Inbox) -> None:
    survey_due(world, plan, email="rita.buyer@example.com")
    nina_contact = world.records["nina"].contact
    nina_contact.email = "nina.buyer@example.com"
    nina_contact.save()
    nina_deal = win(world, "nina")
    FollowUp.objects.filter(deal=nina_deal, kind="survey").update(due_on=today())
    surveys.due_run()
    by_address = {r[0]: m for r, m in zip(smtp.recipients, smtp.messages, strict=True)}
    rita_link = path_of(links(by_address["rita.buyer@example.com"])[0]).split("?")[0]
    unsubscribe = Client().get(rita_link + "unsubscribe/").content.decode()
    assert "rita.buyer@example.com" in unsubscribe and "nina.buyer" not in unsubscribe
    assert Client().post(rita_link, {"score": "2"}).status_code == 200
    answered = SurveyInvitation.objects.get(answered_at__isnull=False)
    assert answered.email == "rita.buyer@example.com"
    assert answered.response is not None and answered.response.rep == world.rita
    assert SurveyInvitation.objects.get(email="nina.buyer@example.com").answered_at is None


def test_no_survey_goes_to_a_members_own_address(world: World, plan: CarePlan, smtp: Inbox) -> None:
    follow_up = survey_due(world, plan, email=world.rita.email.upper())
    surveys.due_run()
    assert smtp.messages == []
    follow_up.refresh_from_db()
    assert follow_up.activity is not None
    assert "member of the organisation" in follow_up.activity.notes
