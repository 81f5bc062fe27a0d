"""Each member's private iCalendar feed (docs/care.md, "Calendar feed"): a
secret link that Google Calendar, Outlook and Apple Calendar subscribe to,
holding the member's dated work — open follow-ups today; recovery and SLA
deadlines when those parts add themselves to `SOURCES`.

Only the SHA-256 of the link's token is stored; the token is shown once, when
it is made. Making a new one replaces the old; revoking removes it: an old,
revoked or unknown token answers 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from rumbo.care import choices
from rumbo.care.models import CalendarFeed, FollowUp
from rumbo.notifications.services import member_language
from rumbo.tenancy.models import Member

PRODID = "-//Rumbo//Customer care//EN"


@dataclass(frozen=True)
class Item:
    """One dated thing in a feed: an all-day event on `day`, or a timed one at
    `at` (an SLA deadline). `uid` is stable, so a calendar updates the event
    when its date moves instead of adding another."""

    uid: str
    title: str
    day: dt.date | None = None
    at: dt.datetime | None = None
    description: str = ""
    link: str = ""


# What each part of Rumbo adds to a member's feed: member -> items, reading
# through `visible_to(member)`. Recovery cases and complaint SLAs append theirs.
SOURCES: list[Callable[[Member], Iterable[Item]]] = []


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_issue(*, member: Member) -> str:
    """A new secret token for the member's feed (the old link stops working).
    Returns the token: it is not stored and cannot be shown again."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(member=member,
                                              defaults={"token_hash": _hash(token),
                                                        "last_read_at": None})  # fmt: skip
    return token


def feed_revoke(*, member: Member) -> bool:
    """Remove the member's feed link; True when there was one."""
    deleted, _rows = CalendarFeed.objects.filter(member=member).delete()
    return bool(deleted)


def feed_of(member: Member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def member_of_token(token: str) -> Member | None:
    """The active member whose current token this is, or None."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.filter(token_hash=_hash(token), member__is_active=True)
            .select_related("member__organization", "member__user").first())  # fmt: skip
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed.member


def follow_up_items(member: Member) -> Iterable[Item]:
    """The member's own open follow-ups, each an all-day event on its due day."""
    found = (FollowUp.objects.visible_to(member)
             .filter(owner=member, status=choices.Status.OPEN)
             .select_related("customer").order_by("due_on", "id"))  # fmt: skip
    for follow_up in found:
        yield Item(
            uid=f"follow-up-{follow_up.pk}@rumbo", day=follow_up.due_on,
            title=f"{follow_up.title} · {follow_up.customer.name}",
            description=str(follow_up.get_kind_display()),
            link=reverse("care:followup_detail", args=[follow_up.pk]),
        )  # fmt: skip


def feed_ics(member: Member, base_url: str) -> bytes:
    """The member's feed as iCalendar text; links are absolute on `base_url`."""
    with translation.override(member_language(member)):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Rumbo: %(name)s") % {"name": member.name})
        stamp = timezone.now()
        for source in [follow_up_items, *SOURCES]:
            for item in source(member):
                cal.add_component(_event(item, stamp, base_url))
    return cal.to_ical()  # type: ignore[no-any-return]


def _event(item: Item, stamp: dt.datetime, base_url: str) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    if item.at is not None:
        event.add("dtstart", item.at)
        event.add("dtend", item.at)
    elif item.day is not None:
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
    if item.description:
        event.add("description", item.description)
    if item.link:
        event.add("url", base_url.rstrip("/") + item.link)
    return event
