"""Reads of customer care, always through `visible_to(member)`: a member's
follow-ups by when they are due, and a customer's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from rumbo.care import choices
from rumbo.care.models import FollowUp
from rumbo.goals.progress import local_today
from rumbo.tenancy.models import Member


def week_end(today: dt.date) -> dt.date:
    """The Sunday closing `today`'s week (ISO weeks start on Monday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def due_filter(bucket: str, today: dt.date) -> Q:
    """Open follow-ups in one of the buckets people sort them into."""
    open_ = Q(status=choices.Status.OPEN)
    if bucket == choices.Due.OVERDUE:
        return open_ & Q(due_on__lt=today)
    if bucket == choices.Due.TODAY:
        return open_ & Q(due_on=today)
    if bucket == choices.Due.WEEK:
        return open_ & Q(due_on__gt=today, due_on__lte=week_end(today))
    return open_ & Q(due_on__gt=week_end(today))


def bucket_of(follow_up: FollowUp, today: dt.date) -> str:
    if follow_up.status != choices.Status.OPEN:
        return ""
    if follow_up.due_on < today:
        return choices.Due.OVERDUE
    if follow_up.due_on == today:
        return choices.Due.TODAY
    return choices.Due.WEEK if follow_up.due_on <= week_end(today) else choices.Due.LATER


def follow_ups_visible(member: Member) -> QuerySet[FollowUp]:
    return FollowUp.objects.visible_to(member).select_related("customer", "owner", "deal")


def due_counts(member: Member, *, mine: bool = True) -> dict[str, int]:
    """How many open follow-ups are overdue, due today and due later this week
    (one query): the member's own, or all they may see."""
    today = local_today(member.organization)
    qs = FollowUp.objects.visible_to(member)
    if mine:
        qs = qs.filter(owner=member)
    buckets = (choices.Due.OVERDUE, choices.Due.TODAY, choices.Due.WEEK)
    found = qs.aggregate(**{b: Count("id", filter=due_filter(b, today)) for b in buckets})
    return {str(k): v for k, v in found.items()}


def due_soon(member: Member, limit: int = 8) -> list[FollowUp]:
    """The member's own open follow-ups due by the end of the week, overdue first."""
    today = local_today(member.organization)
    return list(
        follow_ups_visible(member)
        .filter(owner=member, status=choices.Status.OPEN, due_on__lte=week_end(today))
        .order_by("due_on", "id")[:limit]
    )


def of_customer(customer: Any, member: Member) -> QuerySet[FollowUp]:
    return follow_ups_visible(member).filter(customer=customer).order_by("-due_on", "-id")


def due_this_week(viewer: Member, owner: Member, today: dt.date, limit: int) -> list[FollowUp]:
    """`owner`'s open follow-ups due by the end of the week (overdue first), as
    `viewer` may see them: the rep home's "what to do next"."""
    return list(
        FollowUp.objects.visible_to(viewer).select_related("customer")
        .filter(owner=owner, status=choices.Status.OPEN, due_on__lte=week_end(today))
        .order_by("due_on", "id")[:limit]
    )  # fmt: skip
