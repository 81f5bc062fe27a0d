"""Which membership a logged-in person works in: the user and their active
memberships are read together (tenancy.auth.EmailBackend.get_user), and the
organisation chosen in the session wins over the first by name."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from rumbo.tenancy.models import Member, Role

pytestmark = pytest.mark.django_db


def organisation_shown(client: Client) -> str:
    """The organisation named in the user menu of the deals page."""
    html = client.get(reverse("sales:deal_list")).content.decode()
    match = re.search(r'<span class="dropdown-item-text small text-muted">([^<]*)</span>', html)
    assert match, "no user menu"
    return match.group(1)


def test_two_memberships_first_by_name_then_the_chosen_one(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.rita
    Member.objects.create(organization=world.globex, user=rita.user, name="Rita G",
                          email=rita.user.email, role=Role.REP)  # fmt: skip
    client = world.client("rita")
    assert organisation_shown(client) == world.acme.name  # "Acme" before "Globex"
    assert "rita deal" in client.get(reverse("sales:deal_list")).content.decode().lower()
    response = client.post(reverse("tenancy:switch_organization"),
                           {"organization": world.globex.pk})  # fmt: skip
    assert response.status_code == 302
    assert organisation_shown(client) == world.globex.name
    html = client.get(reverse("sales:deal_list")).content.decode()
    assert "rita deal" not in html.lower()  # Acme's records stay in Acme


def test_an_ended_membership_is_not_chosen_and_a_deactivated_login_is_logged_out(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    assert organisation_shown(client) == world.acme.name
    Member.objects.filter(pk=world.rita.pk).update(is_active=False)
    # No active membership left: the home page sends the person to sign up.
    assert client.get(reverse("home"))["Location"].endswith(reverse("signup"))
    Member.objects.filter(pk=world.rita.pk).update(is_active=True)
    world.rita.user.is_active = False
    world.rita.user.save()
    response = client.get(reverse("sales:deal_list"))
    assert response.status_code == 302 and "login" in response["Location"]
