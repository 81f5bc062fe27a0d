"""The person a follow-up is assigned to hears of it on the day it falls due,
once, with a link to it; nothing for one done, cancelled or due another day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rumbo.care.due_notices import notify_due
from rumbo.care.models import FollowUp
from rumbo.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _follow_up(world, owner: str, title: str, due: dt.date, status: str = "open") -> FollowUp:  # type: ignore[no-untyped-def]
    member = world.members[owner]
    return FollowUp.objects.create(
        organization=member.organization, owner=member, customer=world.records[owner].customer,
        kind="checkin", title=title, due_on=due, status=status,
        done_on=due if status == "done" else None,
    )  # fmt: skip


def test_a_follow_up_due_today_is_announced_once_to_its_owner(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    due = _follow_up(world, "rita", "Check-in call", today)
    _follow_up(world, "rita", "Tomorrow's call", today + dt.timedelta(days=1))
    _follow_up(world, "rita", "Already done", today, status="done")
    _follow_up(world, "rita", "Dropped", today, status="cancelled")
    assert notify_due(world.acme, today) == 1
    assert notify_due(world.acme, today) == 0  # the job runs hourly
    notice = Notification.objects.get(recipient=world.rita, kind="follow_up_due")
    assert "Check-in call" in notice.title and notice.link == f"/follow-ups/{due.pk}/"
    assert not Notification.objects.filter(kind="follow_up_due").exclude(recipient=world.rita)


def test_moved_to_another_day_it_is_announced_again_that_day(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    follow_up = _follow_up(world, "nina", "Check-in call", today)
    notify_due(world.acme, today)
    later = today + dt.timedelta(days=3)
    follow_up.due_on = later
    follow_up.save()
    assert notify_due(world.acme, later) == 1
    assert Notification.objects.filter(recipient=world.nina, kind="follow_up_due").count() == 2
