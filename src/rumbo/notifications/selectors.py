"""Reads of notifications: always the reader's own (see NotificationQuerySet)."""

from __future__ import annotations

from django.db.models import QuerySet

from rumbo.notifications.models import Notification
from rumbo.tenancy.models import Member


def notification_list(*, member: Member, unread: bool | None = None,
                      kind: str | None = None) -> QuerySet[Notification]:  # fmt: skip
    """The member's notifications, newest first; `unread` keeps only unread
    (True) or only read (False) ones; `kind` only those of one kind."""
    qs = Notification.objects.visible_to(member)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def unread_count(*, member: Member) -> int:
    """One indexed COUNT, for the notifications page and the API (the navbar's
    bell reads the count kept on the member row, `Member.unread_notifications`)."""
    return Notification.objects.visible_to(member).filter(read_at__isnull=True).count()
