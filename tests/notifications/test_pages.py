"""The bell in the navbar and the notifications page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rumbo.notifications import services
from rumbo.notifications.models import Notification
from rumbo.notifications.services import notification_mark_read, notifications_mark_all_read
from rumbo.tenancy.models import Member
from tests.notifications.helpers import behind

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def bell(html: str) -> str:
    """The number on the bell, "" when it is hidden."""
    match = re.search(r'<span id="notification-count" class="([^"]*)"[^>]*>(\d+)', html)
    assert match, "no bell"
    return "" if "d-none" in match.group(1) else match.group(2)


def test_the_bell_counts_my_unread_notifications(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    assert bell(client.get(reverse("home")).content.decode()) == ""
    for goal in (1, 2, 3):
        behind(world.rita, goal)
    behind(world.mark, 4)  # not Rita's
    read = behind(world.rita, 5)
    assert read is not None
    notification_mark_read(actor=world.rita, notification=read)
    assert bell(client.get(reverse("home")).content.decode()) == "3"
    notifications_mark_all_read(actor=world.rita)
    assert bell(client.get(reverse("home")).content.decode()) == ""
    assert Member.objects.get(pk=world.mark.pk).unread_notifications == 1


def test_the_bell_costs_no_query(world) -> None:  # type: ignore[no-untyped-def]
    """The count is kept on the member row, which every page reads anyway."""
    behind(world.rita, 1)
    client = world.client("rita")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("sales:deal_list")).content.decode()
    assert bell(html) == "1"
    assert not [q["sql"] for q in queries if "notifications_notification" in q["sql"]]


def test_the_page_lists_mine_newest_first_with_unread_highlighted(world) -> None:  # type: ignore[no-untyped-def]
    behind(world.rita, 1)
    second = behind(world.rita, 2)
    behind(world.alice, 3)
    assert second is not None
    Notification.objects.filter(pk=second.pk).update(read_at=second.created_at)
    html = world.client("rita").get(LIST).content.decode()
    assert html.index("Goal 2 is behind pace") < html.index("Goal 1 is behind pace")
    assert "Goal 3" not in html
    assert html.count('data-unread="true"') == 1
    assert 'href="/goals/1/"' in html
    unread = world.client("rita").get(LIST + "?show=unread").content.decode()
    assert "Goal 1 is behind pace" in unread and "Goal 2 is behind pace" not in unread


def test_the_page_is_paged(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZE = 5
    for goal in range(12):
        behind(world.rita, goal)
    client = world.client("rita")
    html = client.get(LIST).content.decode()
    assert html.count('<li id="notification-') == 5 and "Page 1 of 3" in html
    last = client.get(LIST + "?page=3", headers={"HX-Request": "true"}).content.decode()
    assert last.count('<li id="notification-') == 2 and "<html" not in last


def test_the_page_query_count_is_fixed(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for goal in range(30):
        behind(world.rita, goal)
    client = world.client("rita")
    # Session, user, member, count, rows and the bell.
    with django_assert_max_num_queries(6):
        assert client.get(LIST).status_code == 200


def test_mark_read_with_htmx_swaps_the_row_and_the_bell(world) -> None:  # type: ignore[no-untyped-def]
    first, _second = behind(world.rita, 1), behind(world.rita, 2)
    assert first is not None
    url = reverse("notifications:mark_read", args=[first.pk])
    response = world.client("rita").post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html and 'data-unread="false"' in html
    assert 'hx-swap-oob="true"' in html and bell(html) == "1"
    assert Notification.objects.get(pk=first.pk).read_at is not None


def test_mark_read_without_htmx_goes_back_to_the_list(world) -> None:  # type: ignore[no-untyped-def]
    notification = behind(world.rita, 1)
    assert notification is not None
    response = world.client("rita").post(reverse("notifications:mark_read",
                                                 args=[notification.pk]))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == LIST
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_mark_all_read(world) -> None:  # type: ignore[no-untyped-def]
    for goal in (1, 2):
        behind(world.rita, goal)
    behind(world.mark, 1)
    client = world.client("rita")
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    html = response.content.decode()
    assert "2 notifications marked read." in html and bell(html) == ""
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # Mark's


@pytest.mark.parametrize("persona", ["alice", "mark", "nina", "oscar"])
def test_another_member_notification_answers_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    notification = behind(world.rita, 1)
    assert notification is not None
    client = world.client(persona)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    assert "Goal 1 is behind pace" not in client.get(LIST).content.decode()
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_the_page_filters_by_kind_and_keeps_the_filter_across_pages(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZE = 2
    for goal in (1, 2, 3):
        behind(world.rita, goal)
    services.notification_send(recipient=world.rita, kind="complaint", subject_key="complaint:9",
                               title="Complaint from Bodega Sur", body="",
                               link="/complaints/9/")  # fmt: skip
    client = world.client("rita")
    html = client.get(LIST, {"kind": "complaint"}).content.decode()
    assert "Complaint from Bodega Sur" in html and "behind pace" not in html
    html = client.get(LIST, {"kind": "goal_status", "show": "unread"}).content.decode()
    assert html.count("is behind pace") == 2 and "Page 1 of 2" in html
    assert "show=unread&amp;kind=goal_status&amp;page=2" in html  # the next page keeps both
    html = client.get(LIST, {"kind": "no-such-kind"}).content.decode()
    assert "Complaint from Bodega Sur" in html  # a bad filter lists everything


def test_kudos_badges_and_customers_at_risk_can_be_filtered_too(world) -> None:  # type: ignore[no-untyped-def]
    for kind, title in (("kudos", "Kudos from Mark"), ("badge", "Badge: Promoter"),
                        ("customer_red", "Rita customer turned red")):  # fmt: skip
        services.notification_send(recipient=world.rita, kind=kind, subject_key=f"{kind}:1",
                                   title=title, body="", link="/")  # fmt: skip
    client = world.client("rita")
    html = client.get(LIST).content.decode()
    for value in ("kudos", "badge", "customer_red"):
        assert f'<option value="{value}"' in html, value
    html = client.get(LIST, {"kind": "kudos"}).content.decode()
    assert "Kudos from Mark" in html and "Badge: Promoter" not in html
