"""/api/v1/kudos and /api/v1/badges: the moments the caller may read, and
kudos given under the same rules as the page."""

from __future__ import annotations

import datetime as dt

import pytest

from rumbo.recognition.models import Kudos
from rumbo.recognition.services import badge_award, kudos_give
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


def test_a_rep_reads_her_teams_moments_and_no_others(world) -> None:  # type: ignore[no-untyped-def]
    mine = kudos_give(actor=world.mark, receiver=world.rita, text="Well done")
    sibling = kudos_give(actor=world.alice, receiver=world.sofia, text="Thanks")
    other_org = kudos_give(actor=world.oscar, receiver=world.olga, text="Gracias")
    badge = badge_award(member=world.rita, rule="promoter", subject_key="customer:1",
                        day=dt.date(2026, 11, 3))  # fmt: skip
    assert badge is not None
    client = bearer(world.rita)
    body = call(client, "GET", "/kudos").json()
    assert [k["id"] for k in body["items"]] == [mine.pk] and body["count"] == 1
    assert body["items"][0]["text"] == "Well done"
    assert call(client, "GET", f"/kudos/{sibling.pk}").status_code == 404
    assert call(client, "GET", f"/kudos/{other_org.pk}").status_code == 404
    badges = call(client, "GET", "/badges").json()
    assert [(b["id"], b["title"]) for b in badges["items"]] == [(badge.pk, "Promoter")]


def test_giving_kudos_through_the_api(world) -> None:  # type: ignore[no-untyped-def]
    client = bearer(world.rita)
    made = call(client, "POST", "/kudos", {"receiver_id": world.mark.pk, "text": "Thanks!"})
    assert made.status_code == 201 and made.json()["receiver_id"] == world.mark.pk
    refused = call(client, "POST", "/kudos", {"receiver_id": world.olga.pk, "text": " "})
    assert refused.status_code == 422
    messages = {e["loc"][-1]: e["msg"] for e in refused.json()["detail"]}
    assert messages == {"receiver_id": "Choose somebody of your team to thank.",
                        "text": "Write a line saying what you thank them for."}  # fmt: skip
    assert Kudos.objects.count() == 1
