"""The rep's home lists her follow-ups due by the end of the week, overdue
first, and "nothing urgent" never shows beside one (issue 18, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rumbo.care.models import FollowUp
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


def _follow_up(world, owner: str, title: str, days: int) -> FollowUp:  # type: ignore[no-untyped-def]
    member = world.members[owner]
    return FollowUp.objects.create(
        organization=member.organization, owner=member, customer=world.records[owner].customer,
        kind="checkin", title=title, due_on=timezone.localdate() + dt.timedelta(days=days),
    )  # fmt: skip


def test_the_rep_home_lists_her_follow_ups_due_this_week_overdue_first(world) -> None:  # type: ignore[no-untyped-def]
    _follow_up(world, "rita", "Call back about delivery", -2)
    _follow_up(world, "rita", "Quarterly review", 40)
    _follow_up(world, "nina", "Nina's own call", -1)
    page = Page(world.client("rita").get("/").content)
    due = page.texts("todo-follow-up")
    assert len(due) == 1 and "Call back about delivery" in due[0] and "Overdue" in due[0]
    assert "Nothing urgent" not in page.text("todo")


def test_a_done_follow_up_leaves_the_list_at_once(world) -> None:  # type: ignore[no-untyped-def]
    follow_up = _follow_up(world, "rita", "Call back about delivery", 0)
    client = world.client("rita")
    assert len(Page(client.get("/").content).texts("todo-follow-up")) == 1
    answer = client.post(f"/follow-ups/{follow_up.pk}/complete/",
                         {"day": timezone.localdate().isoformat(), "outcome": "done"})  # fmt: skip
    assert answer.status_code == 302
    assert Page(client.get("/").content).texts("todo-follow-up") == []
