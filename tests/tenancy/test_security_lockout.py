"""Login lockout (django-axes): five failed passwords for one account from one
address lock that account, from that address, for 15 minutes; twenty failures
from one address, whatever the accounts (password spraying), lock that address."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

RITA = "rita@acme.test"


def attempt(client: Client, email: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(times: int, email: str = RITA, ip: str = "10.0.0.1") -> None:
    client = Client()
    for _ in range(times):
        response = attempt(client, email, "wrong-password", ip)
        assert response.status_code in (200, 429)


def test_lockout_is_five_failures_for_fifteen_minutes(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert get_cool_off() == dt.timedelta(minutes=15)


def test_four_failures_still_let_the_right_password_in(world) -> None:  # type: ignore[no-untyped-def]
    fail(4)
    client = Client()
    response = attempt(client, RITA, PASSWORD)
    assert response.status_code == 302
    assert get_user(client).pk == world.rita.user.pk


def test_five_failures_lock_out_even_the_right_password(world) -> None:  # type: ignore[no-untyped-def]
    fail(5)
    client = Client()
    response = attempt(client, RITA, PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert 'data-testid="locked-out"' in response.content.decode()
    assert not get_user(client).is_authenticated


def test_the_fifth_failure_already_shows_the_lockout_page(world) -> None:  # type: ignore[no-untyped-def]
    fail(4)
    response = attempt(Client(), RITA, "wrong-password")
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()


def test_lockout_ignores_the_case_of_the_email(world) -> None:  # type: ignore[no-untyped-def]
    # Varying the case must not buy an attacker five more guesses per spelling.
    for spelling in ("rita@acme.test", "RITA@acme.test", "Rita@Acme.test", "rita@ACME.TEST"):
        attempt(Client(), spelling, "wrong-password")
    response = attempt(Client(), " Rita@acme.test", "wrong-password")
    assert response.status_code == 429
    assert attempt(Client(), RITA, PASSWORD).status_code == 429


def test_login_accepts_the_email_in_any_case(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = attempt(client, "Rita@ACME.test", PASSWORD)
    assert response.status_code == 302
    assert get_user(client).pk == world.rita.user.pk


def test_another_account_is_not_locked(world) -> None:  # type: ignore[no-untyped-def]
    fail(5)
    client = Client()
    response = attempt(client, "nina@acme.test", PASSWORD)
    assert response.status_code == 302
    assert get_user(client).pk == world.nina.user.pk


def test_the_same_account_from_another_address_is_not_locked(world) -> None:  # type: ignore[no-untyped-def]
    fail(5, ip="10.0.0.1")
    assert attempt(Client(), RITA, PASSWORD, ip="10.0.0.2").status_code == 302


def test_success_resets_the_failure_count(world) -> None:  # type: ignore[no-untyped-def]
    fail(4)
    assert attempt(Client(), RITA, PASSWORD).status_code == 302
    fail(4)
    client = Client()
    assert attempt(client, RITA, PASSWORD).status_code == 302
    assert get_user(client).pk == world.rita.user.pk


def test_lock_lifts_after_the_cool_off(world) -> None:  # type: ignore[no-untyped-def]
    fail(5)
    assert attempt(Client(), RITA, PASSWORD).status_code == 429
    # Move the recorded failures 16 minutes into the past instead of waiting.
    for row in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=row.pk).update(
            attempt_time=row.attempt_time - dt.timedelta(minutes=16)
        )
    assert attempt(Client(), RITA, PASSWORD).status_code == 302


def test_unknown_account_failures_do_not_reveal_anything(world) -> None:  # type: ignore[no-untyped-def]
    response = attempt(Client(), "nobody@acme.test", "wrong-password")
    known = attempt(Client(), "nina@acme.test", "wrong-password")
    assert response.status_code == known.status_code == 200
    message = "Your email and password didn"
    assert message in response.content.decode() and message in known.content.decode()


def test_spraying_one_password_over_many_emails_locks_the_address(world, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.AXES_IP_FAILURE_LIMIT == 20
    sprayer = "10.9.9.9"
    for n in range(19):
        response = attempt(Client(), f"person{n}@acme.test", "Summer2026!", sprayer)
        assert response.status_code == 200
    # Below the limit nobody is held up (each email failed only once).
    assert attempt(Client(), RITA, PASSWORD, sprayer).status_code == 302
    assert attempt(Client(), "person19@acme.test", "Summer2026!", sprayer).status_code == 429
    # Now every email from that address is refused, even with the right password...
    client = Client()
    response = attempt(client, "nina@acme.test", PASSWORD, sprayer)
    assert response.status_code == 429 and 'data-testid="locked-out"' in response.content.decode()
    assert not get_user(client).is_authenticated
    # ...while the same people log in from anywhere else.
    assert attempt(Client(), "nina@acme.test", PASSWORD, "10.0.0.7").status_code == 302


def test_a_few_typos_from_a_shared_address_lock_no_one_else(world) -> None:  # type: ignore[no-untyped-def]
    office = "10.4.4.4"
    for name in ("rita", "nina", "sofia", "mark"):
        for _ in range(3):
            attempt(Client(), f"{name}@acme.test", "typo", office)
    assert attempt(Client(), "sam@acme.test", PASSWORD, office).status_code == 302
