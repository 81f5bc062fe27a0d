"""Notifications as the goals app will send them."""

from __future__ import annotations

import datetime as dt

from rumbo.notifications.models import Notification
from rumbo.notifications.services import notification_send
from rumbo.tenancy.models import Member

MARCH_2 = dt.date(2026, 3, 2)


def behind(member: Member, goal: int, day: dt.date | None = MARCH_2) -> Notification | None:
    return notification_send(
        recipient=member, kind="goal_status", subject_key=f"goal:{goal}",
        title=f"Goal {goal} is behind pace", body=f"Three more deals a week close goal {goal}.",
        link=f"/goals/{goal}/", day=day,
    )  # fmt: skip
