"""The demo's recognition: badges earned from the demo's own records by the
same rules as real events (goals already awarded theirs as the weeks were
recorded, in demo/notices.py), and kudos from managers and teammates over the
last weeks, each announced as the app would have, older notices mostly read.
An organisation of one thanks nobody: it only earns badges."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.utils import timezone

from rumbo.demo.notices import DIGEST_HOUR
from rumbo.notifications.models import Notification
from rumbo.notifications.services import notification_mark_read
from rumbo.recognition.awards import sweep
from rumbo.recognition.models import Badge, Kudos
from rumbo.recognition.selectors import kudos_recipients
from rumbo.recognition.services import KIND_BADGE, KIND_KUDOS, kudos_give
from rumbo.tenancy.models import Member, Organization, Role

WEEKS = 6
LINES = (
    "Thanks for covering my customer visits while I was out.",
    "That demo for the new account was spot on.",
    "You turned an angry customer into a fan. Brilliant follow-up.",
    "Great job keeping the pipeline clean before the review.",
    "Thank you for sharing your objection-handling notes with the team.",
    "Closed it without a discount. Well negotiated!",
    "Your call notes saved me an hour today. Thanks!",
    "Calm, quick and kind with that complaint. Textbook.",
    "Thanks for onboarding the new rep so patiently.",
    "The customer wrote to say how helpful you were. Well done!",
)


def demo_recognition(*, organization: Organization, today: dt.date, seed: str) -> int:
    """Write the organisation's recognition history; returns how many moments it holds."""
    rng = random.Random(f"{seed}:recognition")
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    since = today - dt.timedelta(weeks=WEEKS)
    sweep(organization=organization, since=since, today=today - dt.timedelta(days=1))
    _kudos(organization, since, today, zone, rng)
    _settle(organization, today, zone, rng)
    return (Badge.objects.filter(organization=organization).count()
            + Kudos.objects.filter(organization=organization).count())  # fmt: skip


def _kudos(organization: Organization, since: dt.date, today: dt.date,
           zone: zoneinfo.ZoneInfo, rng: random.Random) -> None:  # fmt: skip
    """About one kudos a fortnight per person from the managers and the admins,
    and a few between teammates."""
    people = list(Member.objects.filter(organization=organization, is_active=True)
                  .select_related("organization", "user").order_by("pk"))  # fmt: skip
    givers = [m for m in people if m.role in (Role.MANAGER, Role.ADMIN)] + [
        m for m in people if m.role == Role.REP and rng.random() < 0.4
    ]
    days = (today - since).days
    for giver in givers:
        choices = list(kudos_recipients(giver).select_related("organization", "user"))
        if not choices:
            continue
        count = max(1, len(choices) * days // 14 // 3) if giver.role != Role.REP else 1
        for _i in range(min(count, 12)):
            day = since + dt.timedelta(days=rng.randrange(days))
            at = dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.randrange(60)), zone)
            kudos_give(actor=giver, receiver=rng.choice(choices), text=rng.choice(LINES), at=at)


def _settle(organization: Organization, today: dt.date, zone: zoneinfo.ZoneInfo,
            rng: random.Random) -> None:  # fmt: skip
    """A badge was earned and announced on its day, not while the demo was
    built; its notice went out in the next morning's digest; older notices
    were mostly read, those of the last two days mostly wait, unread."""
    for badge in Badge.objects.filter(organization=organization, earned_on__lt=today):
        at = dt.datetime.combine(badge.earned_on, dt.time(12), zone) + dt.timedelta(
            minutes=badge.pk * 37 % 300
        )
        Badge.objects.filter(pk=badge.pk).update(created_at=at)
        Notification.objects.filter(organization=organization, kind=KIND_BADGE,
                                    subject_key=f"badge:{badge.pk}").update(
            created_at=at, day=badge.earned_on)  # fmt: skip
    notices = Notification.objects.filter(organization=organization, day__lt=today,
                                          kind__in=[KIND_BADGE, KIND_KUDOS])  # fmt: skip
    for notice in notices.select_related("recipient").order_by("day", "pk"):
        # Sent in the next morning's digest, as every notice of the demo's past.
        if notice.recipient.user_id is not None:
            digest = dt.datetime.combine(notice.day + dt.timedelta(days=1),
                                         dt.time(DIGEST_HOUR), zone)  # fmt: skip
            Notification.objects.filter(pk=notice.pk).update(emailed_at=digest)
        fresh = (today - notice.day).days <= 2
        if notice.read_at is None and rng.random() < (0.3 if fresh else 0.85):
            read = min(notice.created_at + dt.timedelta(hours=rng.uniform(1, 30)), timezone.now())
            notification_mark_read(actor=notice.recipient, notification=notice, at=read)
