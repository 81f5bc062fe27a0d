"""Sending a notification: once a day per subject, in the reader's language;
marking notifications read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from django.utils.functional import lazy

from rumbo.notifications import services
from rumbo.notifications.models import Notification, NotificationQuerySet
from tests import factories as f
from tests.notifications.helpers import MARCH_2, behind

pytestmark = pytest.mark.django_db


def test_a_subject_is_notified_once_a_day(world) -> None:  # type: ignore[no-untyped-def]
    first = behind(world.rita, 7)
    assert first is not None and first.title == "Goal 7 is behind pace"
    assert behind(world.rita, 7) is None
    assert Notification.objects.filter(recipient=world.rita).count() == 1


def test_the_next_day_notifies_again(world) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 7)
    assert behind(world.rita, 7, day=MARCH_2 + dt.timedelta(days=1)) is not None
    assert Notification.objects.filter(recipient=world.rita).count() == 2


def test_other_subjects_and_people_are_notified_the_same_day(world) -> None:  # type: ignore[no-untyped-def]
    assert behind(world.rita, 7) is not None
    assert behind(world.rita, 8) is not None
    assert behind(world.mark, 7) is not None


def test_the_day_defaults_to_today_where_the_organisation_is(world) -> None:  # type: ignore[no-untyped-def]
    world.acme.time_zone = "Pacific/Kiritimati"  # UTC+14: often already tomorrow
    world.acme.save()
    notification = behind(world.rita, 7, day=None)
    assert notification is not None
    assert notification.day == services.organization_today(world.acme)
    assert behind(world.rita, 7, day=None) is None


def test_a_parallel_send_that_loses_the_race_writes_nothing(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 7)
    # Both calls saw no row yet; the database's unique constraint decides.
    monkeypatch.setattr(NotificationQuerySet, "exists", lambda self: False)
    assert behind(world.rita, 7) is None
    monkeypatch.undo()
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    with connection.cursor() as cursor:  # the surrounding transaction is still usable
        cursor.execute("SELECT 1")


def test_lazy_text_is_rendered_in_the_recipient_language(world) -> None:  # type: ignore[no-untyped-def]
    world.acme.language = "es"
    world.acme.save()
    language_now = lazy(lambda: f"written in {translation.get_language()}", str)
    user = world.mark.user
    user.language = "en"
    user.save()
    for member, expected in ((world.rita, "es"), (world.mark, "en")):
        member.refresh_from_db()
        notification = services.notification_send(
            recipient=member, kind="goal_behind", subject_key="goal:1",
            title=language_now(), body=language_now(),
        )  # fmt: skip
        assert notification is not None
        assert notification.title == notification.body == f"written in {expected}"


def test_a_member_without_a_login_gets_the_notification(world) -> None:  # type: ignore[no-untyped-def]
    lucia = f.MemberFactory(organization=world.acme, team=world.teams["north"], user=None)
    assert behind(lucia, 7) is not None


@pytest.mark.parametrize("link", ["https://evil.test/", "//evil.test/", "goals/1/"])
def test_a_link_must_stay_inside_rumbo(world, link) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.notification_send(recipient=world.rita, kind="goal_behind",
                                   subject_key="goal:1", title="T", body="", link=link)  # fmt: skip
    assert "link" in caught.value.message_dict
    assert not Notification.objects.exists()


def test_a_bad_kind_or_empty_title_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.notification_send(recipient=world.rita, kind="goal behind!", subject_key="g:1",
                                   title="  ", body="")  # fmt: skip
    assert {"kind", "title"} <= set(caught.value.message_dict)


def test_mark_read_keeps_the_first_reading_time(world) -> None:  # type: ignore[no-untyped-def]
    notification = behind(world.rita, 7)
    assert notification is not None
    services.notification_mark_read(actor=world.rita, notification=notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    services.notification_mark_read(actor=world.rita, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_nobody_else_marks_a_notification_read(world) -> None:  # type: ignore[no-untyped-def]
    notification = behind(world.rita, 7)
    assert notification is not None
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=world.alice, notification=notification)


def test_mark_all_read_touches_only_the_actor_notifications(world) -> None:  # type: ignore[no-untyped-def]
    for goal in (1, 2, 3):
        behind(world.rita, goal)
    behind(world.mark, 1)
    assert services.notifications_mark_all_read(actor=world.rita) == 3
    assert not Notification.objects.filter(recipient=world.rita, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.mark, read_at__isnull=True).count() == 1


def test_even_an_admin_sees_only_their_own(world) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    mine = behind(world.alice, 1)
    assert list(Notification.objects.visible_to(world.alice)) == [mine]
    assert list(Notification.objects.visible_to(world.mark)) == []


def test_a_batch_sends_each_subject_once_and_keeps_the_bell(world) -> None:  # type: ignore[no-untyped-def]
    from rumbo.tenancy.models import Member

    def batch() -> list[services.Notice]:
        return [
            services.Notice(recipient=world.rita, kind="goal_status", subject_key="goal:1",
                            title="One", day=MARCH_2),
            services.Notice(recipient=world.rita, kind="goal_status", subject_key="goal:1",
                            title="One again", day=MARCH_2),  # the same subject and day
            services.Notice(recipient=world.rita, kind="milestone", subject_key="stone:1",
                            title="Two", day=MARCH_2, once=True),
            services.Notice(recipient=world.mark, kind="goal_status", subject_key="goal:1",
                            title="Mark's", day=MARCH_2),
        ]  # fmt: skip

    assert services.notifications_send(batch()) == 3
    assert services.notifications_send(batch()) == 0
    tomorrow = MARCH_2 + dt.timedelta(days=1)
    later = [services.Notice(recipient=world.rita, kind="milestone", subject_key="stone:1",
                             title="Two", day=tomorrow, once=True)]  # fmt: skip
    assert services.notifications_send(later) == 0  # once: not the next day either
    assert Member.objects.get(pk=world.rita.pk).unread_notifications == 2
    assert Member.objects.get(pk=world.mark.pk).unread_notifications == 1
    assert sorted(Notification.objects.filter(recipient=world.rita).values_list(
        "title", flat=True)) == ["One", "Two"]  # fmt: skip
