"""The daily email digest, over a real SMTP conversation: one message per user
listing all their unread notifications, in their language, never twice."""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.utils import timezone

from rumbo.notifications.digest import digest_due_organizations, digest_send
from rumbo.notifications.models import Notification
from tests import factories as f
from tests.mail import free_port
from tests.notifications.helpers import MARCH_2, behind

pytestmark = pytest.mark.django_db


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return body.get_content()  # type: ignore[no-any-return]


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return body.get_content()  # type: ignore[no-any-return]


def test_one_email_per_user_lists_all_their_unread_notifications(world, smtp, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "https://rumbo.example"
    for goal in (1, 2, 3):
        behind(world.rita, goal)
    behind(world.mark, 4)
    read = behind(world.rita, 5)
    assert read is not None
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    assert digest_send() == 2
    assert sorted(r[0] for r in smtp.recipients) == ["mark@acme.test", "rita@acme.test"]
    rita = next(m for m in smtp.messages if m["To"] == "rita@acme.test")
    assert rita["Subject"] == "Rumbo: 3 new notifications"
    text = text_of(rita)
    for goal in (1, 2, 3):
        assert f"Goal {goal} is behind pace" in text
        assert f"https://rumbo.example/goals/{goal}/" in text
    assert "Goal 5" not in text and "Goal 4" not in text
    assert "March 2, 2026" in text
    assert "https://rumbo.example/notifications/" in text
    html = html_of(rita)
    assert '<a href="https://rumbo.example/goals/1/">Goal 1 is behind pace</a>' in html
    assert not Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True).exists()


def test_a_second_run_sends_nothing(world, smtp) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    assert digest_send() == 1
    assert digest_send() == 0
    assert len(smtp.messages) == 1
    # A new notification the next day goes out in the next digest, alone.
    behind(world.rita, 1, day=MARCH_2 + dt.timedelta(days=1))
    assert digest_send() == 1
    assert "Rumbo: 1 new notification" == smtp.messages[1]["Subject"]


def test_a_spanish_speaking_user_gets_it_in_spanish(world, smtp) -> None:  # type: ignore[no-untyped-def]
    user = world.rita.user
    user.language = "es"
    user.save()
    behind(world.rita, 1)
    behind(world.mark, 2)
    digest_send()
    rita = next(m for m in smtp.messages if m["To"] == "rita@acme.test")
    mark = next(m for m in smtp.messages if m["To"] == "mark@acme.test")
    # Dates come from the locale data (CLDR), which needs no catalogue of ours.
    assert "2 de marzo de 2026" in text_of(rita) and '<html lang="es">' in html_of(rita)
    assert "March 2, 2026" in text_of(mark) and '<html lang="en">' in html_of(mark)


def test_the_organisation_language_applies_when_the_user_has_none(world, smtp) -> None:  # type: ignore[no-untyped-def]
    world.acme.language = "es"
    world.acme.save()
    behind(world.rita, 1)
    digest_send()
    assert "2 de marzo de 2026" in text_of(smtp.messages[0])


def test_people_without_a_login_or_inactive_get_no_email(world, smtp) -> None:  # type: ignore[no-untyped-def]
    lucia = f.MemberFactory(organization=world.acme, team=world.teams["north"], user=None,
                            email="lucia@acme.test")  # fmt: skip
    behind(lucia, 1)
    behind(world.nina, 1)
    world.nina.is_active = False
    world.nina.save()
    assert digest_send() == 0
    assert smtp.messages == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_a_user_in_two_organisations_gets_one_email(world, smtp) -> None:  # type: ignore[no-untyped-def]
    rita_at_globex = f.MemberFactory(
        organization=world.globex, user=world.rita.user, team=world.teams["globex"],
        email="rita@globex.test",
    )  # fmt: skip
    behind(world.rita, 1)
    behind(rita_at_globex, 2)
    assert digest_send() == 1
    text = text_of(smtp.messages[0])
    assert "== Acme ==" in text and "== Globex ==" in text
    assert "Goal 1" in text and "Goal 2" in text


def test_day_limits_the_digest_to_that_day_and_before(world, smtp) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    behind(world.rita, 2, day=MARCH_2 + dt.timedelta(days=1))
    assert digest_send(day=MARCH_2) == 1
    assert "Goal 2" not in text_of(smtp.messages[0])
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_an_unreachable_mail_server_claims_nothing(world, settings) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    with pytest.raises(OSError):
        digest_send()  # nobody listens: the run fails before claiming anything
    assert Notification.objects.get().emailed_at is None


def test_a_message_the_server_refuses_waits_for_the_next_run(world, smtp) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    behind(world.mark, 1)
    smtp.refused.add("rita@acme.test")
    assert digest_send() == 1  # Mark's still goes out
    assert smtp.recipients == [["mark@acme.test"]]
    assert Notification.objects.get(recipient=world.rita).emailed_at is None
    smtp.refused.clear()
    assert digest_send() == 1
    assert smtp.recipients[-1] == ["rita@acme.test"]


def test_the_command_sends_the_digest(world, smtp) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    behind(world.olga, 1)
    out = io.StringIO()
    call_command("notifications", "digest", "--org", "acme", stdout=out)
    assert "1 digest email(s) sent." in out.getvalue()
    assert smtp.recipients == [["rita@acme.test"]]


def test_the_digest_goes_out_at_the_local_morning_hour(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    world.acme.time_zone = "Europe/Madrid"  # UTC+1 in March
    world.acme.save()
    at = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    assert digest_due_organizations(now=at) == [world.acme.pk]
    assert world.globex.pk in digest_due_organizations(now=at + dt.timedelta(hours=1))
    assert digest_due_organizations(now=at + dt.timedelta(hours=2)) == []


def test_the_periodic_job_runs_every_hour_on_the_hour() -> None:
    from huey.contrib.djhuey import HUEY

    from rumbo.notifications import tasks

    def due(at: dt.datetime) -> bool:
        # What the consumer's scheduler asks every minute.
        return tasks.send_notification_digests.task_class in {
            type(task) for task in HUEY.read_periodic(at)
        }

    hour = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC).replace(tzinfo=None)  # huey: naive UTC
    assert due(hour) and due(hour + dt.timedelta(hours=1))
    assert not due(hour + dt.timedelta(minutes=30))
