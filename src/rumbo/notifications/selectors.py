"""Reads of notifications: always the reader's own (see NotificationQuerySet)."""

from __future__ import annotations

from django.db.models import Count, Expression, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rumbo.notifications.models import Notification
from rumbo.tenancy.models import Member


def notification_list(*, member: Member, unread: bool | None = None) -> QuerySet[Notification]:
    """The member's notifications, newest first; `unread` keeps only unread
    (True) or only read (False) ones."""
    qs = Notification.objects.visible_to(member)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.order_by("-created_at", "-pk")


def unread_count(*, member: Member) -> int:
    """One indexed COUNT, for the bell in the navbar."""
    return Notification.objects.visible_to(member).filter(read_at__isnull=True).count()


def unread_of_member() -> Expression:
    """The bell's count as a column of the member row (`MEMBER_EXTRAS`): the
    rule of `visible_to` — the member's own, in the member's organisation —
    for the member being read."""
    own = Notification.objects.filter(
        organization_id=OuterRef("organization_id"), recipient_id=OuterRef("pk"), read_at=None
    )
    counted = own.order_by().values("recipient_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
