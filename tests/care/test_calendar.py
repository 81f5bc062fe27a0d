"""A member's private calendar feed: made on their page, read by a calendar
application with the token alone, holding their open follow-ups as all-day
events (parsed back with icalendar); an unknown, replaced or revoked token
answers 404, and nobody else's follow-ups are in it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from rumbo.care.models import CalendarFeed, FollowUp
from rumbo.goals.progress import local_today
from tests import factories as f

pytestmark = pytest.mark.django_db


def follow_up(world: Any, owner: str, title: str, days: int, status: str = "open") -> FollowUp:
    member = world.members[owner]
    customer = world.records[owner].customer
    return FollowUp.objects.create(
        organization=member.organization, owner=member, customer=customer, kind="checkin",
        title=title, due_on=local_today(member.organization) + dt.timedelta(days=days),
        status=status, done_on=local_today(member.organization) if status == "done" else None,
    )  # fmt: skip


def make_link(client: Client) -> str:
    """Make a link on the calendar page and read it there, as a member would."""
    answer = client.post(reverse("care:calendar_regenerate"))
    assert answer.status_code == 302
    page = client.get(reverse("care:calendar")).content.decode()
    match = re.search(r'value="(http[^"]+\.ics)"', page)
    assert match is not None
    return match.group(1).replace("http://testserver", "")


def events(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_members_open_follow_ups_as_all_day_events(world) -> None:  # type: ignore[no-untyped-def]
    mine = follow_up(world, "rita", "Check-in call", 3)
    follow_up(world, "rita", "Old call", -5, status="done")
    follow_up(world, "sofia", "Sofia's visit", 2)
    url = make_link(world.client("rita"))
    answer = Client().get(url)  # a calendar application: no session
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    found = events(answer.content)
    title = f"Check-in call · {mine.customer.name}"
    assert list(found) == [title]
    event = found[title]
    assert event.decoded("dtstart") == mine.due_on
    assert event.decoded("dtend") == mine.due_on + dt.timedelta(days=1)
    assert str(event["url"]).endswith(reverse("care:followup_detail", args=[mine.pk]))
    # A second link for Sofia holds hers and not Rita's.
    sofia = events(Client().get(make_link(world.client("sofia"))).content)
    assert list(sofia) == [f"Sofia's visit · {world.records['sofia'].customer.name}"]


def test_only_the_hash_of_the_token_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    url = make_link(world.client("rita"))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(member=world.rita).token_hash
    assert token not in stored and len(stored) == 64
    # The link is shown once: the page does not show it again.
    assert token not in world.client("rita").get(reverse("care:calendar")).content.decode()


def test_an_unknown_token_answers_404_even_signed_in(world) -> None:  # type: ignore[no-untyped-def]
    make_link(world.client("rita"))
    url = reverse("care:calendar_feed", args=["x" * 43])
    assert Client().get(url).status_code == 404
    assert world.client("rita").get(url).status_code == 404


def test_a_new_link_retires_the_old_one(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    old = make_link(client)
    new = make_link(client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_revoked_link_answers_404(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    url = make_link(client)
    assert client.post(reverse("care:calendar_revoke")).status_code == 302
    assert Client().get(url).status_code == 404
    assert not CalendarFeed.objects.filter(member=world.rita).exists()


def test_an_inactive_members_link_answers_404(world) -> None:  # type: ignore[no-untyped-def]
    url = make_link(world.client("nina"))
    world.nina.is_active = False
    world.nina.save()
    assert Client().get(url).status_code == 404


def test_another_organisations_member_sees_only_their_own(world) -> None:  # type: ignore[no-untyped-def]
    follow_up(world, "rita", "Rita's call", 1)
    other = f.CustomerFactory(organization=world.globex, owner=world.olga, name="Globex client")
    FollowUp.objects.create(organization=world.globex, owner=world.olga, customer=other,
                            kind="visit", title="Olga's visit",
                            due_on=local_today(world.globex))  # fmt: skip
    found = events(Client().get(make_link(world.client("olga"))).content)
    assert list(found) == ["Olga's visit · Globex client"]
