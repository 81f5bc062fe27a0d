"""Reminders: when a goal has fallen behind pace (its day's status is "at risk"
or "off track"), its owner hears about it — a rep for their goal, the team's
manager for a team goal, the admins for the organisation's — in the app and in
the next email digest, at most once a day per goal (the notifications app
keeps one notification per recipient, subject and day)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from rumbo.goals.models import Goal, Progress, State
from rumbo.goals.words import sentence
from rumbo.notifications.services import member_language, notification_send
from rumbo.tenancy.models import Member, Organization, Role

BEHIND = ("at_risk", "off_track")


def _recipients(goal: Goal, admins: Iterable[Member]) -> list[Member]:
    if goal.member_id:
        return [goal.member]  # type: ignore[list-item]
    if goal.team_id:
        manager = goal.team.manager  # type: ignore[union-attr]
        return [manager] if manager is not None else list(admins)
    return list(admins)


def goal_reminders_send(*, organization: Organization, day: date) -> int:
    """Notify the owners of the organisation's goals that were behind pace on
    `day` (as recorded by the day's progress). Returns how many were sent."""
    rows = (Progress.objects.filter(goal__organization=organization, goal__state=State.ACTIVE,
                                    day=day, status__in=BEHIND)
            .select_related("goal__organization", "goal__member__organization",
                            "goal__member__user", "goal__team__manager__organization",
                            "goal__team__manager__user"))  # fmt: skip
    admins = Member.objects.filter(organization=organization, role=Role.ADMIN, is_active=True)
    admins = admins.select_related("organization", "user")
    sent = 0
    for row in rows:
        goal = row.goal
        for recipient in _recipients(goal, admins):
            with translation.override(member_language(recipient)):
                title = _("Behind pace: %(goal)s") % {"goal": goal}
                body = sentence(goal, row, yours=goal.member_id == recipient.pk, today=day)
            done = notification_send(recipient=recipient, kind="goal_behind",
                                     subject_key=f"goal:{goal.pk}", title=title, body=body,
                                     link=goal.get_absolute_url(), day=day)  # fmt: skip
            sent += done is not None
    return sent
