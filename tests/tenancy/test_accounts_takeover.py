"""The account takeover of issue 14, as an attacker ran it: sign up, create a
member through the API, invite it (the link arrives in the attacker's own
inbox, over real SMTP), move the member's email to a victim's through the API,
open the link and choose a password. An invitation is for the address it was
sent to, so the link is dead, and no invitation ever sets an existing login's
password (docs/decisions/0009-invitations-and-signup.md)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from rumbo.tenancy import services
from rumbo.tenancy.models import Invitation, Member
from tests import factories as f
from tests.mail import Inbox
from tests.personas import PASSWORD
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db

ATTACKER_PASSWORD = "evil plans 2024 ok"
STOLEN = "i own you now 123"
INVITE = re.compile(r"http://testserver/invitation/[\w-]+/")
CONFIRM = re.compile(r"http://testserver/signup/confirm/[\w-]+/")


def link(inbox: Inbox, pattern: re.Pattern[str] = INVITE) -> str:
    text = inbox.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = pattern.findall(text)
    assert len(found) == 1, text
    return found[0]


def can_log_in(email: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": email, "password": password})
    return bool(get_user(client).is_authenticated)


@pytest.fixture
def attacker(smtp) -> tuple[Client, Client]:  # type: ignore[no-untyped-def]
    """Eve signs up (confirming her own address) and makes an API token: her
    browser session and her API client, admin of her own organisation."""
    browser = Client()
    browser.post(reverse("signup"), {
        "name": "Eve", "email": "eve@evil.example", "password": ATTACKER_PASSWORD,
        "organization": "Evil", "currency": "EUR", "language": "en", "time_zone": "UTC",
    })  # fmt: skip
    assert browser.post(link(smtp, CONFIRM)).status_code == 302
    raw = browser.post(reverse("tenancy:token_list"), {"name": "automation"}).context["raw"]
    return browser, Client(headers={"Authorization": f"Bearer {raw}"})


def invite(browser: Client, member_id: int) -> str:
    page = browser.post(reverse("tenancy:member_invite", args=[member_id]), follow=True)
    assert page.status_code == 200
    return page.content.decode()


def test_the_takeover_from_the_issue_is_refused(world, attacker, smtp) -> None:  # type: ignore[no-untyped-def]
    browser, api = attacker
    created = call(api, "POST", "/members",
                   {"name": "Inbox", "email": "inbox@evil.example", "role": "rep"})  # fmt: skip
    assert created.status_code == 201
    member_id = created.json()["id"]
    assert "Invitation sent to inbox@evil.example" in invite(browser, member_id)
    assert smtp.recipients[-1] == ["inbox@evil.example"]
    stolen_link = link(smtp)

    moved = call(api, "PATCH", f"/members/{member_id}", {"email": "alice@acme.test"})
    assert moved.status_code == 200

    visitor = Client()
    assert visitor.get(stolen_link).status_code == 404
    response = visitor.post(stolen_link, {"password": STOLEN, "password2": STOLEN})
    assert response.status_code == 404
    assert not get_user(visitor).is_authenticated
    # Alice's login is untouched, and still hers alone.
    assert can_log_in("alice@acme.test", PASSWORD) and not can_log_in("alice@acme.test", STOLEN)
    assert Member.objects.get(pk=member_id).user is None
    assert set(world.alice.user.memberships.values_list("organization__slug", flat=True)) == {
        "acme"
    }
    assert Invitation.objects.get(member_id=member_id).revoked_at is not None


def test_an_invitation_to_an_existing_login_never_sets_its_password(world, attacker, smtp) -> None:  # type: ignore[no-untyped-def]
    # Eve invites Alice's address outright: the link goes to Alice, and even
    # someone holding it can only join by logging in as Alice.
    browser, api = attacker
    body = {"name": "Alice?", "email": "alice@acme.test", "role": "rep"}
    member_id = call(api, "POST", "/members", body).json()["id"]
    invite(browser, member_id)
    assert smtp.recipients[-1] == ["alice@acme.test"]
    held = link(smtp)

    page = Client().get(held)
    assert page.status_code == 200 and "already has a Rumbo login" in page.content.decode()
    assert Client().post(held, {"password": STOLEN, "password2": STOLEN}).status_code == 403
    # Eve, signed in as herself, cannot accept it for Alice either.
    as_eve = browser.post(held, {"password": STOLEN, "password2": STOLEN})
    assert as_eve.status_code == 403
    assert Member.objects.get(pk=member_id).user is None
    assert can_log_in("alice@acme.test", PASSWORD) and not can_log_in("alice@acme.test", STOLEN)


def test_the_variant_on_a_member_who_already_has_a_login_is_refused(world, attacker, smtp) -> None:  # type: ignore[no-untyped-def]
    # Oscar (Globex) once joined Eve's organisation. Eve points his member row
    # at her inbox and invites it: the invitation is refused, nothing is sent.
    browser, api = attacker
    evil = Member.objects.get(email="eve@evil.example").organization
    oscar_here = f.MemberFactory(organization=evil, name="Oscar", email="oscar@globex.test",
                                 user=world.oscar.user)  # fmt: skip
    sent = len(smtp.messages)
    moved = call(api, "PATCH", f"/members/{oscar_here.pk}", {"email": "inbox@evil.example"})
    assert moved.status_code == 200
    assert "already logs in to Rumbo" in invite(browser, oscar_here.pk)
    assert len(smtp.messages) == sent and not Invitation.objects.filter(member=oscar_here).exists()
    assert can_log_in("oscar@globex.test", PASSWORD)
    with pytest.raises(Exception, match="already logs in"):
        services.invitation_create(actor=Member.objects.get(email="eve@evil.example"),
                                   member=oscar_here, base_url="http://testserver")  # fmt: skip


def test_changing_the_email_on_the_page_revokes_the_link(world, smtp) -> None:  # type: ignore[no-untyped-def]
    lucia = f.MemberFactory(organization=world.acme, name="Lucía", email="lucia@acme.test",
                            user=None, team=world.teams["north"])  # fmt: skip
    alice = world.client("alice")
    invite(alice, lucia.pk)
    sent_link = link(smtp)
    detail = reverse("tenancy:member_detail", args=[lucia.pk])
    assert "An invitation was sent" in alice.get(detail).content.decode()
    edit = alice.post(reverse("tenancy:member_edit", args=[lucia.pk]), {
        "name": "Lucía", "email": "lucia.gomez@acme.test", "role": "rep",
        "team": world.teams["north"].pk, "is_active": "on",
    })  # fmt: skip
    assert edit.status_code == 302
    assert Client().get(sent_link).status_code == 404
    assert (
        "Invitation pending"
        not in alice.get(reverse("tenancy:member_detail", args=[lucia.pk])).content.decode()
    )
    # A link sent to the new address works, for the new address.
    invite(alice, lucia.pk)
    visitor = Client()
    assert visitor.post(link(smtp), {"password": STOLEN, "password2": STOLEN}).status_code == 302
    assert get_user(visitor).email == "lucia.gomez@acme.test"  # type: ignore[union-attr]


@pytest.mark.parametrize("how", ["save", "update"])
def test_any_other_path_that_changes_the_email_voids_the_link(world, smtp, how) -> None:  # type: ignore[no-untyped-def]
    # Imports save members directly (`member.save()`); a bulk update skips save()
    # altogether: the link is dead either way.
    lucia = f.MemberFactory(organization=world.acme, name="Lucía", email="lucia@acme.test",
                            user=None)  # fmt: skip
    sent_link = services.invitation_create(actor=world.alice, member=lucia,
                                           base_url="http://testserver")  # fmt: skip
    if how == "save":
        lucia.email = "oscar@globex.test"
        lucia.save()
        assert Invitation.objects.get(member=lucia).revoked_at is not None
    else:
        Member.objects.filter(pk=lucia.pk).update(email="oscar@globex.test")
    assert Client().get(sent_link).status_code == 404
    assert Client().post(sent_link, {"password": STOLEN, "password2": STOLEN}).status_code == 404
    assert can_log_in("oscar@globex.test", PASSWORD)


def test_a_signed_in_user_of_another_address_cannot_accept(world, smtp) -> None:  # type: ignore[no-untyped-def]
    person = f.MemberFactory(organization=world.acme, name="Oscar", email="oscar@globex.test",
                             user=None)  # fmt: skip
    sent_link = services.invitation_create(actor=world.alice, member=person,
                                           base_url="http://testserver")  # fmt: skip
    olga = world.client("olga")
    page = olga.get(sent_link)
    assert "You are logged in as olga@globex.test" in page.content.decode()
    assert "Log out and log in as oscar@globex.test" in page.content.decode()
    assert olga.post(sent_link).status_code == 403
    person.refresh_from_db()
    assert person.user is None
    with pytest.raises(Exception, match="log in as oscar@globex.test"):
        invitation = services.invitation_lookup(sent_link.rstrip("/").rsplit("/", 1)[1])
        assert invitation is not None
        services.invitation_accept(invitation=invitation, user=world.olga.user)


def test_a_newline_in_a_name_neither_breaks_nor_adds_headers(world, smtp) -> None:  # type: ignore[no-untyped-def]
    # Stored by a path that does not validate (an old row, a direct write).
    Member.objects.filter(pk=world.alice.pk).update(name="Alice\r\nBcc: victim@else.example")
    lucia = f.MemberFactory(organization=world.acme, name="Lucía\nGómez", email="lucia@acme.test",
                            user=None)  # fmt: skip
    page = world.client("alice").post(reverse("tenancy:member_invite", args=[lucia.pk]),
                                      follow=True)  # fmt: skip
    assert page.status_code == 200
    assert "Invitation sent to lucia@acme.test" in page.content.decode()
    message = smtp.messages[-1]
    assert message["Subject"] == "Alice Bcc: victim@else.example invites you to Rumbo"
    assert message["Bcc"] is None and smtp.recipients[-1] == ["lucia@acme.test"]


@pytest.mark.parametrize("name", ["Evil\nBcc: x@y.example", "Tab\there", "Line\u2028break"])
def test_names_with_control_characters_are_refused(world, name) -> None:  # type: ignore[no-untyped-def]
    answer = call(bearer(world.alice), "POST", "/members", {"name": name, "role": "rep"})
    assert answer.status_code == 422
    assert "single line" in answer.content.decode()
    page = world.client("alice").post(reverse("tenancy:member_create"),
                                      {"name": name, "role": "rep"})  # fmt: skip
    assert page.status_code == 400 and "single line" in page.content.decode()
    assert not Member.objects.filter(name=name).exists()
