"""Each person's email digest: never, every morning or on Monday mornings, as
they chose on the notifications page; sent over a real SMTP conversation, in
their language, at the digest hour of their organisation's morning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rumbo.notifications.digest import digest_due, digest_send
from rumbo.notifications.models import Notification
from rumbo.notifications.services import digest_preference_set
from rumbo.notifications.tasks import send_notification_digests
from rumbo.sales.models import Complaint
from rumbo.sales.services import complaint_save
from tests.notifications.test_digest import html_of, text_of
from tests.personas import World

pytestmark = pytest.mark.django_db
PAGE = "/notifications/email/"
MONDAY_7_MADRID = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Madrid (UTC+1)


def complaint_on(world: World, owner: str, severity: str = "high") -> Complaint:
    """A complaint the admin records on `owner`'s customer: the owner hears of
    it, their manager too (high severity)."""
    return complaint_save(actor=world.alice, creating=True, complaint=Complaint(
        organization=world.acme, customer=world.records[owner].customer, category="delivery",
        severity=severity, description="Two weeks late."))  # fmt: skip


def test_the_page_sets_my_choice_and_the_notifications_page_shows_it(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Email digest: Every morning" in page and f'href="{PAGE}"' in page
    form = client.get(PAGE).content.decode()
    assert "Every Monday morning" in form and "Never" in form and "7:00" in form
    response = client.post(PAGE, {"digest": "weekly"})
    assert response.status_code == 302
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Email digest: Every Monday morning" in page
    assert client.post(PAGE, {"digest": "hourly"}).status_code == 200  # refused, shown again
    assert "Email digest: Every Monday morning" in client.get(
        reverse("notifications:list")).content.decode()  # fmt: skip
    # Mark's choice is his own.
    assert "Email digest: Every morning" in world.client("mark").get(
        reverse("notifications:list")).content.decode()  # fmt: skip


def test_never_daily_and_weekly_over_smtp(world, smtp) -> None:  # type: ignore[no-untyped-def]
    digest_preference_set(actor=world.rita, digest="none")
    digest_preference_set(actor=world.mark, digest="weekly")
    complaint_on(world, "rita")  # Rita (never) and Mark (weekly)
    complaint_on(world, "sofia")  # Sofia and Sam: every morning, the default
    # A Tuesday morning: the daily readers only.
    assert digest_send(weekly=[]) == 2
    assert sorted(r[0] for r in smtp.recipients) == ["sam@acme.test", "sofia@acme.test"]
    sofia = next(m for m in smtp.messages if m["To"] == "sofia@acme.test")
    assert "Complaint from Sofia customer" in text_of(sofia)
    assert "/notifications/email/" in text_of(sofia)  # where to change how often
    # Monday: Mark's week arrives; Rita never gets one.
    assert digest_send(weekly=[world.acme.pk]) == 1
    assert smtp.recipients[-1] == ["mark@acme.test"]
    assert "Escalated to you: complaint from Rita customer" in text_of(smtp.messages[-1])
    assert digest_send(weekly=True) == 0
    assert Notification.objects.get(recipient=world.rita).emailed_at is None  # still in the app


def test_the_hourly_job_sends_weekly_ones_on_monday(world, smtp, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    world.acme.time_zone = "Europe/Madrid"
    world.acme.save()
    assert digest_due(now=MONDAY_7_MADRID) == ([world.acme.pk], [world.acme.pk])
    tuesday = MONDAY_7_MADRID + dt.timedelta(days=1)
    assert digest_due(now=tuesday) == ([world.acme.pk], [])
    digest_preference_set(actor=world.mark, digest="weekly")
    complaint_on(world, "rita")
    from rumbo.notifications import digest

    for now, expected in ((tuesday, ["rita@acme.test"]), (MONDAY_7_MADRID + dt.timedelta(days=7),
                                                         ["mark@acme.test"])):  # fmt: skip
        monkeypatch.setattr(digest.timezone, "now", lambda now=now: now)
        send_notification_digests.call_local()
        assert [r[0] for r in smtp.recipients[-1:]] == expected


def test_a_spanish_speaking_member_gets_their_digest_in_spanish(world, smtp) -> None:  # type: ignore[no-untyped-def]
    user = world.mark.user
    user.language = "es"
    user.save()
    complaint_on(world, "rita")  # Rita (English) and Mark (Spanish) hear of it
    assert digest_send() == 2
    mark = next(m for m in smtp.messages if m["To"] == "mark@acme.test")
    rita = next(m for m in smtp.messages if m["To"] == "rita@acme.test")
    assert mark["Subject"] == "Rumbo: 1 notificación nueva"
    assert "Alta" in text_of(mark) and "Entrega" in text_of(mark)  # the notice itself
    assert "Verlas todas:" in text_of(mark) and '<html lang="es">' in html_of(mark)
    assert rita["Subject"] == "Rumbo: 1 new notification"
    assert "High severity · Delivery" in text_of(rita)
