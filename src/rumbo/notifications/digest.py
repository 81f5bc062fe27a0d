"""The email digest: one message per user listing their unread notifications
that no earlier email listed, at the digest hour of their organisation's
morning — every day, or on Mondays only, or never, as each member chose
(NotificationPreference; daily when they chose nothing)."""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from babel import dates
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from rumbo.notifications.models import Digest, Notification
from rumbo.tenancy.models import Organization
from rumbo.web import formatting

logger = logging.getLogger(__name__)
MONDAY = 0


def digest_due_organizations(*, now: datetime | None = None) -> list[int]:
    """Organisations where it is now the digest hour (NOTIFICATIONS_DIGEST_HOUR,
    local time): the hourly job sends their digests, so each arrives in the morning."""
    return digest_due(now=now)[0]


def digest_due(*, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """(organisations where it is now the digest hour, those of them where it is
    also Monday): the daily digests go to the first, the weekly ones to the second."""
    now = now or timezone.now()
    zones = Organization.objects.order_by().values_list("time_zone", flat=True).distinct()
    due, mondays = [], []
    for name in zones:
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        if local.hour == settings.NOTIFICATIONS_DIGEST_HOUR:
            due.append(name)
            if local.weekday() == MONDAY:
                mondays.append(name)
    if not due:
        return [], []
    rows = Organization.objects.filter(time_zone__in=due).values_list("pk", "time_zone")
    return [pk for pk, _zone in rows], [pk for pk, zone in rows if zone in mondays]


def _pending(
    day: date | None, organization_ids: Collection[int] | None, weekly: bool | Collection[int]
) -> dict[int, list[Notification]]:
    """Unread, not yet emailed notifications of active members with an active
    login who want a digest now, by user. (A job across organisations: each
    user reads only rows whose recipient is one of their own Member rows.)"""
    qs = (
        Notification.objects.filter(
            read_at__isnull=True,
            emailed_at__isnull=True,
            recipient__is_active=True,
            recipient__user__isnull=False,
            recipient__user__is_active=True,
        )  # fmt: skip
        .exclude(recipient__user__email="")
        .exclude(recipient__notification_preference__digest=Digest.NONE)
        .select_related("recipient__user", "organization")
        .order_by("recipient__user_id", "organization__name", "-created_at", "-pk")
    )
    if weekly is not True:  # weekly readers wait for their Monday
        not_now = Q(recipient__notification_preference__digest=Digest.WEEKLY)
        if weekly:
            not_now &= ~Q(organization_id__in=list(weekly))
        qs = qs.exclude(not_now)
    if day is not None:
        qs = qs.filter(day__lte=day)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    by_user: dict[int, list[Notification]] = {}
    for notification in qs.iterator(chunk_size=2000):
        user_id = notification.recipient.user_id
        assert user_id is not None  # filtered above
        by_user.setdefault(user_id, []).append(notification)
    return by_user


def _digest_message(items: list[Notification], connection: Any) -> EmailMultiAlternatives:
    """One email listing `items` (all for one user), in that user's language."""
    user = items[0].recipient.user
    assert user is not None
    language = user.language or items[0].organization.language
    organizations = {n.organization_id for n in items}
    with translation.override(language):
        rows: list[dict[str, Any]] = [
            {
                "notification": n,
                "organization": n.organization.name,
                "day": dates.format_date(n.day, format="long", locale=formatting.locale()),
                "url": f"{settings.BASE_URL}{n.link}" if n.link else "",
            }
            for n in items
        ]
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row["organization"], []).append(row)
        context = {
            "groups": [{"organization": name, "rows": group} for name, group in groups.items()],
            "count": len(items), "several_organizations": len(organizations) > 1,
            "inbox_url": settings.BASE_URL + reverse("notifications:list"),
            "preferences_url": settings.BASE_URL + reverse("notifications:preferences"),
            "language": language,
        }  # fmt: skip
        subject = ngettext(
            "Rumbo: %(count)d new notification", "Rumbo: %(count)d new notifications", len(items)
        ) % {"count": len(items)}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def digest_send(*, day: date | None = None, organization_ids: Collection[int] | None = None,
                weekly: bool | Collection[int] = False) -> int:  # fmt: skip
    """Email each user ONE message listing their unread notifications not yet
    emailed (those created for `day` or earlier, when given; of the given
    organisations only, when given), then mark them emailed so no run sends them
    again. Returns the number of emails sent.

    Members who chose no digest get none; those who chose a weekly one only
    when `weekly` is True, or names their organisation (where it is Monday).

    Rows are claimed (emailed_at set) before the SMTP conversation, so two runs
    at once never send the same notification twice and no lock is held while
    mail is sent; a message the server refuses gives its rows back for the next
    run. Members without a login, and inactive people, get no email."""
    by_user = _pending(day, organization_ids, weekly)
    if not by_user:
        return 0
    sent = 0
    connection = get_connection()  # one SMTP conversation for the whole run
    with connection:
        for items in by_user.values():
            stamp = timezone.now()
            ids = [n.pk for n in items]
            claimed = Notification.objects.filter(
                pk__in=ids, read_at__isnull=True, emailed_at__isnull=True
            ).update(emailed_at=stamp)
            if claimed != len(ids):
                # Read or emailed meanwhile (another run, or the reader): send the rest.
                kept = set(
                    Notification.objects.filter(pk__in=ids, emailed_at=stamp).values_list(
                        "pk", flat=True
                    )
                )
                items = [n for n in items if n.pk in kept]
                if not items:
                    continue
            try:
                _digest_message(items, connection).send()
            except (OSError, smtplib.SMTPException):
                logger.exception("Digest to user %s failed", items[0].recipient.user_id)
                Notification.objects.filter(pk__in=ids, emailed_at=stamp).update(emailed_at=None)
                continue
            sent += 1
    return sent
