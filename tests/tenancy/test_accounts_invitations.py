"""Invitations by email, over a real SMTP conversation: an admin invites a
person who exists without a login (as a CRM import leaves them), the message
arrives with a one-time link, and the link gives that person a login."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales.models import Deal
from rumbo.sales.services import deal_save
from rumbo.tenancy import services
from rumbo.tenancy.models import Invitation, Member, User
from tests import factories as f
from tests.mail import free_port
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/invitation/[\w-]+/")
NEW_PASSWORD = "a sunny tuesday 42"


@pytest.fixture
def lucia(world) -> Member:  # type: ignore[no-untyped-def]
    """A seller named in a CRM export: a name and an email, no login."""
    return f.MemberFactory(
        organization=world.acme, name="Lucía Gómez", email="lucia@acme.test",
        team=world.teams["north"], user=None,
    )  # fmt: skip


def invite(client: Client, member: Member) -> Any:
    return client.post(reverse("tenancy:member_invite", args=[member.pk]), follow=True)


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = LINK.findall(body.get_content())
    assert len(found) == 1
    return found[0]


def accept(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(link, {"password": password, "password2": password})


def test_invitation_arrives_over_smtp_and_gives_a_login(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    response = invite(world.client("alice"), lucia)
    assert response.status_code == 200
    assert "Invitation sent to lucia@acme.test" in response.content.decode()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.recipients == [["lucia@acme.test"]]
    assert message["To"] == "lucia@acme.test"
    assert message["Subject"] == "Alice invites you to Rumbo"
    link = link_in(message)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hello Lucía Gómez" in text and "for Acme" in text and "expires in 7 days" in text
    # Only the hash of the one-time token is kept.
    raw = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=raw).exists()
    assert Invitation.objects.get(member=lucia).token_hash == services.hash_token(raw)

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert "You will log in as lucia@acme.test" in page.content.decode()
    response = accept(visitor, link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    lucia.refresh_from_db()
    assert lucia.user is not None and lucia.user.email == "lucia@acme.test"
    assert get_user(visitor).pk == lucia.user.pk
    home = visitor.get(reverse("home"))
    assert home.status_code == 200 and home.context["member"] == lucia

    # The new password works on the login page too.
    fresh = Client()
    login = fresh.post(reverse("login"), {"username": "lucia@acme.test", "password": NEW_PASSWORD})
    assert login.status_code == 302 and get_user(fresh).pk == lucia.user.pk


def test_the_link_works_only_once(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    invite(world.client("alice"), lucia)
    link = link_in(smtp.messages[0])
    assert accept(Client(), link).status_code == 302

    again = Client()
    assert again.get(link).status_code == 404
    response = accept(again, link, "another fine password 7")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    assert not get_user(again).is_authenticated
    assert User.objects.get(email="lucia@acme.test").check_password(NEW_PASSWORD)


def test_an_expired_link_does_not_work(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    invite(world.client("alice"), lucia)
    link = link_in(smtp.messages[0])
    Invitation.objects.filter(member=lucia).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    visitor = Client()
    assert visitor.get(link).status_code == 404
    assert accept(visitor, link).status_code == 404
    lucia.refresh_from_db()
    assert lucia.user is None and not get_user(visitor).is_authenticated


def test_a_made_up_link_does_not_work(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404


def test_a_newer_invitation_replaces_the_older_link(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    alice = world.client("alice")
    invite(alice, lucia)
    invite(alice, lucia)
    first, second = (link_in(m) for m in smtp.messages)
    assert first != second
    assert accept(Client(), second).status_code == 302
    assert Client().get(first).status_code == 404


def test_a_deactivated_member_cannot_use_the_link(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    invite(world.client("alice"), lucia)
    Member.objects.filter(pk=lucia.pk).update(is_active=False)
    assert Client().get(link_in(smtp.messages[0])).status_code == 404


@pytest.mark.parametrize("persona, status", [("rita", 404), ("mark", 403), ("oscar", 404)])
def test_only_an_admin_of_the_organisation_can_invite(world, lucia, smtp, persona, status) -> None:  # type: ignore[no-untyped-def]
    response = world.client(persona).post(reverse("tenancy:member_invite", args=[lucia.pk]))
    assert response.status_code == status
    assert smtp.messages == []
    assert not Invitation.objects.exists()


def test_invitation_needs_an_email_address(world, smtp) -> None:  # type: ignore[no-untyped-def]
    nameless = f.MemberFactory(organization=world.acme, name="No Mail", email="", user=None)
    response = invite(world.client("alice"), nameless)
    assert "Add an email address before inviting this person." in response.content.decode()
    assert smtp.messages == [] and not Invitation.objects.exists()


def test_a_refused_message_leaves_no_invitation(world, lucia, settings) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on this port: the SMTP connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    response = invite(world.client("alice"), lucia)
    assert response.status_code == 200
    assert "The invitation could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_message_is_plain_text_not_html_escaped(world, smtp) -> None:  # type: ignore[no-untyped-def]
    world.acme.name = "Smith & Sons"
    world.acme.save()
    person = f.MemberFactory(organization=world.acme, name="Seán O'Brien",
                             email="sean@acme.test", user=None)  # fmt: skip
    invite(world.client("alice"), person)
    text = smtp.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hello Seán O'Brien" in text and "for Smith & Sons" in text
    assert "&amp;" not in text and "&#x27;" not in text


def test_a_person_with_a_login_elsewhere_logs_in_to_join_and_keeps_their_password(
    world, smtp
) -> None:  # type: ignore[no-untyped-def]
    # Oscar (Globex) also sells for Acme: he logs in as himself to accept, and
    # the link never sets his password.
    person = f.MemberFactory(organization=world.acme, name="Oscar", email="Oscar@globex.test",
                             user=None, team=world.teams["south"])  # fmt: skip
    invite(world.client("alice"), person)
    message = smtp.messages[0]
    assert "log in with it to join" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = link_in(message)

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert "oscar@globex.test already has a Rumbo login" in page.content.decode()
    assert "password" not in [f.name for f in page.context.get("form") or []]
    # A password posted by whoever holds the link is ignored.
    assert accept(visitor, link, "taken over 12345").status_code == 403
    world.oscar.user.refresh_from_db()
    assert world.oscar.user.check_password(PASSWORD)
    person.refresh_from_db()
    assert person.user is None

    # The page offers the login page with the way back to the link.
    login_url = page.context["login_url"]
    assert login_url == reverse("login") + "?next=" + link.replace("http://testserver", "")
    logged = visitor.post(login_url, {"username": "oscar@globex.test", "password": PASSWORD,
                                      "next": link.replace("http://testserver", "")})  # fmt: skip
    assert logged.status_code == 302 and logged["Location"] == link.replace("http://testserver", "")
    assert "Accept the invitation" in visitor.get(link).content.decode()
    joined = visitor.post(link)
    assert joined.status_code == 302 and joined["Location"] == reverse("home")
    person.refresh_from_db()
    assert person.user == world.oscar.user
    assert User.objects.filter(email__iexact="oscar@globex.test").count() == 1
    assert set(world.oscar.user.memberships.values_list("organization__slug", flat=True)) == {
        "acme", "globex",
    }  # fmt: skip
    assert visitor.get(reverse("home")).context["member"] == person
    world.oscar.user.refresh_from_db()
    assert world.oscar.user.check_password(PASSWORD)
    assert Client().get(link).status_code == 404  # used up


def test_a_member_without_login_owns_records_and_counts_in_figures(
    world, lucia, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    metrics_rebuild(organization=world.acme)  # the home page's figures read the rollups
    alice, mark, sofia = (world.client(n) for n in ("alice", "mark", "sofia"))

    def won(client) -> int:  # type: ignore[no-untyped-def]
        return client.get(reverse("home")).context["figures"].deals_won

    before = alice.get(reverse("home")).context["figures"]
    mark_before, sofia_before = won(mark), won(sofia)
    # Today, so that the deal falls in the page's period on any day of the year.
    day = timezone.localdate()
    deal = Deal(organization=world.acme, owner=lucia, name="Lucía's win", outcome="won",
                stage="closed", amount=Decimal("300.00"), currency="EUR",
                customer=f.CustomerFactory(organization=world.acme, owner=lucia),
                created_on=day, closed_on=day)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # its figures' refresh runs
        deal_save(actor=world.alice, deal=deal, creating=True)
    response = alice.get(reverse("home"))
    after = response.context["figures"]
    assert after.revenue == before.revenue + Decimal("300.00")
    assert after.deals_won == before.deals_won + 1
    assert "Lucía&#x27;s win" in response.content.decode()
    # Her manager (North) counts it too; a rep of a sibling team does not see it.
    assert won(mark) == mark_before + 1
    assert won(sofia) == sofia_before


def test_a_spanish_speaking_organisation_invites_in_spanish(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    # Needs the compiled Spanish catalogue (compilemessages), as the running app does.
    world.acme.language = "es"
    world.acme.save()
    invite(world.client("alice"), lucia)
    message = smtp.messages[0]
    assert message["Subject"] == "Alice te invita a Rumbo"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hola, Lucía Gómez:" in text and "caduca en 7 días" in text


def test_the_invitee_own_language_wins_over_the_organisation(world, smtp) -> None:  # type: ignore[no-untyped-def]
    # Oscar has a login (Globex) and reads English; Acme writes Spanish.
    world.acme.language = "es"
    world.acme.save()
    world.oscar.user.language = "en"
    world.oscar.user.save()
    person = f.MemberFactory(organization=world.acme, name="Oscar", email="oscar@globex.test",
                             user=None)  # fmt: skip
    services.invitation_create(actor=world.alice, member=person, base_url="http://testserver")
    assert smtp.messages[0]["Subject"] == "Alice invites you to Rumbo"


def test_a_weak_or_mismatched_password_keeps_the_link_open(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    invite(world.client("alice"), lucia)
    link = link_in(smtp.messages[0])
    visitor = Client()
    weak = accept(visitor, link, "12345678")
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    mismatch = visitor.post(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "The two passwords differ." in mismatch.content.decode()
    lucia.refresh_from_db()
    assert lucia.user is None and not get_user(visitor).is_authenticated
    assert accept(visitor, link).status_code == 302


def test_a_link_claimed_by_a_parallel_submission_is_refused(world, lucia, smtp) -> None:  # type: ignore[no-untyped-def]
    services.invitation_create(actor=world.alice, member=lucia, base_url="http://testserver")
    raw = link_in(smtp.messages[0]).rstrip("/").rsplit("/", 1)[1]
    # Both submissions looked the link up before either used it.
    first, second = services.invitation_lookup(raw), services.invitation_lookup(raw)
    assert first is not None and second is not None
    services.invitation_accept(invitation=first, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=second, password="someone else's 99")
    assert User.objects.get(email="lucia@acme.test").check_password(NEW_PASSWORD)


def test_an_email_already_logging_in_here_cannot_be_invited_again(world, smtp) -> None:  # type: ignore[no-untyped-def]
    # A second row for Rita (her email in other letters) must not take over her login.
    twin = f.MemberFactory(organization=world.acme, name="Rita twin", email="RITA@acme.test",
                           user=None)  # fmt: skip
    response = invite(world.client("alice"), twin)
    assert "already logs in with this email" in response.content.decode()
    assert smtp.messages == [] and not Invitation.objects.exists()
