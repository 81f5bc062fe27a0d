"""Members and teams carry versions like every edited record (ADR 0010): two
admins changing the same person or team cannot silently undo each other."""

from __future__ import annotations

import pytest

from rumbo.tenancy.models import Member, Team
from tests.personas import World
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


def test_a_stale_member_change_is_refused_and_the_first_kept(world: World) -> None:
    rita = world.rita
    alice = bearer(world.alice)
    assert call(alice, "GET", f"/members/{rita.pk}").json()["version"] == 1
    first = call(alice, "PATCH", f"/members/{rita.pk}", {"name": "Rita Q.", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = call(alice, "PATCH", f"/members/{rita.pk}", {"name": "Rita Z.", "version": 1})
    assert stale.status_code == 409
    assert Member.objects.get(pk=rita.pk).name == "Rita Q."


def test_a_stale_team_change_is_refused(world: World) -> None:
    north = world.teams["north"]
    alice = bearer(world.alice)
    assert (
        call(alice, "PATCH", f"/teams/{north.pk}", {"name": "Norte", "version": 1}).status_code
        == 200
    )
    stale = call(alice, "PATCH", f"/teams/{north.pk}", {"name": "Nord", "version": 1})
    assert stale.status_code == 409
    assert Team.objects.get(pk=north.pk).name == "Norte"
