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


def test_two_admins_saving_the_settings_cannot_undo_each_other(world: World) -> None:
    """The settings page carries the version it was opened at: the second
    admin's save is refused with what they typed kept, and applies when sent again."""
    from django.urls import reverse

    from rumbo.tenancy.models import Organization
    from tests.access.formdata import form_submission, post_form, submission

    url = reverse("tenancy:organization")
    first, second = world.client("alice"), world.client("alice")
    mine = form_submission(first.get(url), url)
    theirs = form_submission(second.get(url), url)
    assert mine is not None and theirs is not None and mine["version"] == "1"
    theirs["name"] = "Acme Worldwide"
    assert second.post(url, theirs).status_code == 302
    mine["name"] = "Acme Iberia"
    answer = first.post(url, mine)
    assert answer.status_code == 409 and "Acme Iberia" in answer.content.decode()
    assert Organization.objects.get(pk=world.acme.pk).name == "Acme Worldwide"
    form = post_form(answer.content.decode(), url)
    assert form is not None
    assert first.post(url, {**submission(form), "name": "Acme Iberia"}).status_code == 302
    assert Organization.objects.get(pk=world.acme.pk).name == "Acme Iberia"
