"""Writes for notifications: send one (at most once a day per subject, or once
ever), send many in one batch, mark read, choose one's email digest. The
digest itself is in `digest.py`.

Nothing here writes the audit log: a notification is itself the record of
what was sent and when, and marking it read or choosing a digest is the
reader's own state (like the last use of an API token) that changes nothing
anyone else sees."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from rumbo.notifications.models import Digest, Notification, NotificationPreference
from rumbo.tenancy.models import Member, Organization

# Rows written per INSERT by the batch sender.
BATCH = 1000


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


@dataclass(frozen=True)
class Notice:
    """One notification to send (see `notification_send` for the fields).
    `once`: at most once ever for this recipient and subject, not once a day.
    `at`: when it happened, if not now (a backfill, such as the demo's)."""

    recipient: Member
    kind: str
    subject_key: str
    title: str | Promise
    body: str | Promise = ""
    link: str = ""
    day: date | None = None
    once: bool = False
    at: datetime | None = None


def _build(notice: Notice) -> Notification:
    """The row, its texts rendered in the recipient's language and checked.
    Raises ValidationError for a malformed kind, title or link (a caller's bug)."""
    recipient = notice.recipient
    with translation.override(member_language(recipient)):
        title_text, body_text = str(notice.title).strip(), str(notice.body).strip()
    notification = Notification(
        organization_id=recipient.organization_id, recipient=recipient, kind=notice.kind,
        subject_key=notice.subject_key, title=Truncator(title_text).chars(200), body=body_text,
        link=notice.link, day=notice.day or organization_today(recipient.organization),
    )  # fmt: skip
    _check_link(notice.link)
    # The uniqueness is the database's job, so no query here.
    notification.full_clean(exclude=["organization", "recipient"], validate_unique=False,
                            validate_constraints=False)  # fmt: skip
    return notification


def notification_send(
    *,
    recipient: Member,
    kind: str,
    subject_key: str,
    title: str | Promise,
    body: str | Promise,
    link: str = "",
    day: date | None = None,
    once: bool = False,
    at: datetime | None = None,
) -> Notification | None:
    """Notify `recipient` about `subject_key` (e.g. "goal:123"), at most once per
    (recipient, subject_key, day) — or, with `once`, at most once ever: a second
    call writes nothing and returns None. `day` defaults to today in the
    recipient's organisation; `at` (default: now) is when it happened.

    `title` and `body` may be lazy translations (`gettext_lazy`, `format_lazy`):
    they are rendered here, in the recipient's language, and stored as text.
    Members without a login get the in-app notification but never an email.
    A batch caller saves two queries per call by loading recipients with
    `select_related("organization", "user")`, or uses `notifications_send`.
    Raises ValidationError for a malformed kind, title or link (a caller's bug)."""
    notice = Notice(recipient=recipient, kind=kind, subject_key=subject_key, title=title,
                    body=body, link=link, day=day, once=once, at=at)  # fmt: skip
    notification = _build(notice)
    seen = Notification.objects.filter(
        organization_id=recipient.organization_id, recipient=recipient, subject_key=subject_key
    )
    if not once:
        seen = seen.filter(day=notification.day)
    if seen.exists():
        return None
    try:
        with transaction.atomic():
            notification.save()
            if at is not None:  # auto_now_add ignores a given value
                Notification.objects.filter(pk=notification.pk).update(created_at=at)
                notification.created_at = at
            _unread_moved(recipient, 1)
    except IntegrityError:
        # A parallel call for the same subject and day got there first.
        return None
    return notification


def notifications_send(notices: Iterable[Notice]) -> int:
    """Send many notifications in a few queries (a job that finds thousands of
    goals fallen behind): the same rules as `notification_send`, without
    returning the rows. Returns how many were new. The bell's counts of the
    recipients are counted again from their rows."""
    made = 0
    batch: list[Notice] = []
    for notice in notices:
        batch.append(notice)
        if len(batch) == BATCH:
            made += _send_batch(batch)
            batch = []
    if batch:
        made += _send_batch(batch)
    return made


def _send_batch(notices: Sequence[Notice]) -> int:
    """One batch: what is already there is left out before anything is
    rendered (a job that runs hourly finds most of its notices sent)."""
    days = {n.recipient.organization_id: organization_today(n.recipient.organization)
            for n in notices if n.day is None}  # fmt: skip
    recipients = {n.recipient.pk for n in notices}
    subjects = {n.subject_key for n in notices}
    seen_daily, seen_ever = set(), set()
    for recipient_id, subject, day in Notification.objects.filter(
        recipient_id__in=recipients, subject_key__in=subjects
    ).values_list("recipient_id", "subject_key", "day"):
        seen_daily.add((recipient_id, subject, day))
        seen_ever.add((recipient_id, subject))
    fresh, stamps = [], {}
    for notice in notices:
        key = (notice.recipient.pk, notice.subject_key)
        day = notice.day or days[notice.recipient.organization_id]
        if key in seen_ever and (notice.once or (*key, day) in seen_daily):
            continue
        seen_ever.add(key)
        seen_daily.add((*key, day))
        fresh.append(_build(notice if notice.day else replace(notice, day=day)))
        if notice.at is not None:
            stamps[(*key, day)] = notice.at
    if not fresh:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        if stamps:  # auto_now_add ignores a given value
            for (recipient_id, subject, day), at in stamps.items():
                Notification.objects.filter(recipient_id=recipient_id, subject_key=subject,
                                            day=day).update(created_at=at)  # fmt: skip
        unread_recount(member_ids={row.recipient_id for row in fresh})
    return len(fresh)


def unread_recount(*, member_ids: Iterable[int]) -> None:
    """Set the bell's count of these members from their unread rows (after a
    batch write, where keeping it step by step would cost a query per row)."""
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("recipient_id").annotate(n=Count("id")).values("n")
    )  # fmt: skip
    Member.objects.filter(pk__in=list(member_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def notification_mark_read(
    *, actor: Member, notification: Notification, at: datetime | None = None
) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless: the
    first reading time stays). `at`: when, if not now (the demo's history)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = at or timezone.now()
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


def digest_preference(member: Member) -> str:
    """How often the member gets the email digest (Digest; daily by default)."""
    found = NotificationPreference.objects.filter(member_id=member.pk).values_list(
        "digest", flat=True
    )
    return found.first() or Digest.DAILY


def digest_preference_set(*, actor: Member, digest: str) -> str:
    """The actor chooses their own email digest: none, daily or weekly."""
    if digest not in Digest.values:
        raise ValidationError({"digest": _("Choose never, daily or weekly.")})
    NotificationPreference.objects.update_or_create(member=actor, defaults={"digest": digest})
    return digest
