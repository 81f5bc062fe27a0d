"""Writes for notifications: send one (at most once a day per subject), mark
read; and the daily email digest.

Nothing here writes the audit log: a notification is itself the record of
what was sent and when, and marking it read is the reader's own state (like the
last use of an API token) that changes nothing anyone else sees."""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from babel import dates
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rumbo.notifications.models import Notification
from rumbo.tenancy.models import Member, Organization
from rumbo.web import formatting

logger = logging.getLogger(__name__)


def organization_today(organization: Organization) -> date:
    """Today's date where the organisation is."""
    try:
        zone = zoneinfo.ZoneInfo(organization.time_zone)
    except zoneinfo.ZoneInfoNotFoundError:
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def member_language(member: Member) -> str:
    """The language a member reads in: their login's choice, else the organisation's."""
    user = member.user
    return (user.language if user is not None else "") or member.organization.language


def _check_link(link: str) -> None:
    # A path inside Rumbo only: a notification must never send its reader elsewhere.
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValidationError({"link": _("A link must be a path inside Rumbo, such as /goals/1/.")})


def notification_send(
    *,
    recipient: Member,
    kind: str,
    subject_key: str,
    title: str | Promise,
    body: str | Promise,
    link: str = "",
    day: date | None = None,
) -> Notification | None:
    """Notify `recipient` about `subject_key` (e.g. "goal:123"), at most once per
    (recipient, subject_key, day): a second call for the same day writes nothing
    and returns None. `day` defaults to today in the recipient's organisation.

    `title` and `body` may be lazy translations (`gettext_lazy`, `format_lazy`):
    they are rendered here, in the recipient's language, and stored as text.
    Members without a login get the in-app notification but never an email.
    A batch caller saves two queries per call by loading recipients with
    `select_related("organization", "user")`.
    Raises ValidationError for a malformed kind, title or link (a caller's bug)."""
    organization = recipient.organization
    day = day or organization_today(organization)
    with translation.override(member_language(recipient)):
        title_text, body_text = str(title).strip(), str(body).strip()
    notification = Notification(
        organization_id=recipient.organization_id, recipient=recipient, kind=kind,
        subject_key=subject_key, title=Truncator(title_text).chars(200), body=body_text,
        link=link, day=day,
    )  # fmt: skip
    _check_link(link)
    # The uniqueness is the database's job (below), so no query here.
    notification.full_clean(exclude=["organization", "recipient"], validate_unique=False,
                            validate_constraints=False)  # fmt: skip
    duplicate = Notification.objects.filter(
        organization_id=recipient.organization_id, recipient=recipient,
        subject_key=subject_key, day=day,
    ).exists()  # fmt: skip
    if duplicate:
        return None
    try:
        with transaction.atomic():
            notification.save()
            _unread_moved(recipient, 1)
    except IntegrityError:
        # A parallel call for the same subject and day got there first.
        return None
    return notification


def notification_mark_read(*, actor: Member, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless: the
    first reading time stays)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True)
            if marked.update(read_at=now):  # not already read by a parallel request
                _unread_moved(actor, -1)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: Member) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    with transaction.atomic():
        marked = (
            Notification.objects.visible_to(actor)
            .filter(read_at__isnull=True)
            .update(read_at=timezone.now())
        )
        if marked:
            _unread_moved(actor, -marked)
    return marked


def _unread_moved(member: Member, by: int) -> None:
    """Keep the bell's count (Member.unread_notifications) with the rows, in the
    same transaction, and on the `member` object the page goes on to render."""
    Member.objects.filter(pk=member.pk).update(
        unread_notifications=Greatest(F("unread_notifications") + by, 0)
    )
    member.unread_notifications = max(0, member.unread_notifications + by)


def digest_due_organizations(*, now: datetime | None = None) -> list[int]:
    """Organisations where it is now the digest hour (NOTIFICATIONS_DIGEST_HOUR,
    local time): the hourly job sends their digests, so each arrives in the morning."""
    now = now or timezone.now()
    zones = Organization.objects.order_by().values_list("time_zone", flat=True).distinct()
    due = []
    for name in zones:
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        if local.hour == settings.NOTIFICATIONS_DIGEST_HOUR:
            due.append(name)
    if not due:
        return []
    return list(Organization.objects.filter(time_zone__in=due).values_list("pk", flat=True))


def _pending(
    day: date | None, organization_ids: Collection[int] | None
) -> dict[int, list[Notification]]:
    """Unread, not yet emailed notifications of active members with an active
    login, by user. (A job across organisations: each user reads only rows
    whose recipient is one of their own Member rows.)"""
    qs = (
        Notification.objects.filter(
            read_at__isnull=True,
            emailed_at__isnull=True,
            recipient__is_active=True,
            recipient__user__isnull=False,
            recipient__user__is_active=True,
        )  # fmt: skip
        .exclude(recipient__user__email="")
        .select_related("recipient__user", "organization")
        .order_by("recipient__user_id", "organization__name", "-created_at", "-pk")
    )
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


def digest_send(*, day: date | None = None, organization_ids: Collection[int] | None = None) -> int:
    """Email each user ONE message listing their unread notifications not yet
    emailed (those created for `day` or earlier, when given; of the given
    organisations only, when given), then mark them emailed so no run sends them
    again. Returns the number of emails sent.

    Rows are claimed (emailed_at set) before the SMTP conversation, so two runs
    at once never send the same notification twice and no lock is held while
    mail is sent; a message the server refuses gives its rows back for the next
    run. Members without a login, and inactive people, get no email."""
    by_user = _pending(day, organization_ids)
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
