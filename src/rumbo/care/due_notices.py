"""A notice to the person a follow-up is assigned to, on the day it falls due
(issue 17: "a follow-up due"). Once per follow-up and due day: moving it to
another day announces it again on that day; done or cancelled, nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rumbo.care import choices
from rumbo.care.models import FollowUp
from rumbo.notifications.services import Notice, notifications_send
from rumbo.tenancy.models import Organization

KIND = "follow_up_due"


def notify_due(organization: Organization, today: dt.date) -> int:
    """Notices for the organisation's open follow-ups due `today`; returns how many were new."""
    due = FollowUp.objects.filter(
        organization=organization, status=choices.Status.OPEN, due_on=today,
        owner__is_active=True,
    ).select_related("owner__organization", "customer")  # fmt: skip
    notices = [
        Notice(
            recipient=f.owner, kind=KIND, once=True,
            subject_key=f"follow_up:{f.pk}:{f.due_on.isoformat()}",
            title=format_lazy(_("Follow-up due today: {title} · {customer}"),
                              title=f.title, customer=f.customer.name),
            body=_("Mark it done when you have been in touch, or move it to another day."),
            link=reverse("care:followup_detail", args=[f.pk]),
        )  # fmt: skip
        for f in due
    ]
    return notifications_send(notices)


def notify_due_everywhere(today_of: Callable[[Organization], dt.date]) -> int:
    return sum(notify_due(org, today_of(org)) for org in Organization.objects.all())
