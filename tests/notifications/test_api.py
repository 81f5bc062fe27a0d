"""/api/v1/notifications: the caller's own notifications, and nobody else's."""

from __future__ import annotations

import pytest

from rumbo.notifications.models import Notification
from tests.notifications.helpers import behind
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


def test_list_is_mine_newest_first_with_an_unread_filter(world) -> None:  # type: ignore[no-untyped-def]
    one, two = behind(world.rita, 1), behind(world.rita, 2)
    behind(world.alice, 3)
    assert one is not None and two is not None
    Notification.objects.filter(pk=one.pk).update(read_at=one.created_at)
    client = bearer(world.rita)
    body = call(client, "GET", "/notifications").json()
    assert [item["id"] for item in body["items"]] == [two.pk, one.pk]
    assert body["count"] == 2 and body["unread_count"] == 1
    assert body["items"][0]["link"] == "/goals/2/" and body["items"][0]["read_at"] is None
    unread = call(client, "GET", "/notifications?unread=true").json()
    assert [item["id"] for item in unread["items"]] == [two.pk]
    read = call(client, "GET", "/notifications?unread=false").json()
    assert [item["id"] for item in read["items"]] == [one.pk]
    oldest = call(client, "GET", "/notifications?ordering=created_at").json()
    assert [item["id"] for item in oldest["items"]] == [one.pk, two.pk]
    paged = call(client, "GET", "/notifications?page=2&page_size=1").json()
    assert [item["id"] for item in paged["items"]] == [one.pk] and paged["count"] == 2


def test_mark_one_read_then_all(world) -> None:  # type: ignore[no-untyped-def]
    one, two = behind(world.rita, 1), behind(world.rita, 2)
    behind(world.mark, 1)
    assert one is not None and two is not None
    client = bearer(world.rita)
    response = call(client, "POST", f"/notifications/{one.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    response = call(client, "POST", "/notifications/read-all")
    assert response.status_code == 200 and response.json() == {"marked": 1}
    assert call(client, "GET", "/notifications").json()["unread_count"] == 0
    assert Notification.objects.filter(recipient=world.mark, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("persona", ["alice", "mark", "nina", "olga"])
def test_another_member_notification_answers_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    notification = behind(world.rita, 1)
    assert notification is not None
    client = bearer(world.members[persona])
    assert call(client, "GET", f"/notifications/{notification.pk}").status_code == 404
    assert call(client, "POST", f"/notifications/{notification.pk}/read").status_code == 404
    assert call(client, "GET", "/notifications").json()["count"] == 0
    call(client, "POST", "/notifications/read-all")
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_anonymous_calls_answer_401(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    assert call(Client(), "GET", "/notifications").status_code == 401
    assert call(Client(), "POST", "/notifications/read-all").status_code == 401
