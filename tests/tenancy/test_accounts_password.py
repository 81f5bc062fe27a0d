"""Password change (logged in) and reset by email (Django's views, real SMTP):
the reset link works once, for one hour, and requests are throttled per
address and per client without the answer telling anything."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from tests.mail import Inbox
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a brand new secret 77"
RESET = re.compile(r"http://testserver/password/reset/[\w-]+/[\w-]+/")


def can_log_in(email: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": email, "password": password})
    return bool(get_user(client).is_authenticated)


def ask_reset(email: str, ip: str = "10.1.1.1") -> str:
    response = Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    page = Client().get(response["Location"]).content.decode()
    assert "If an account exists for that email" in page
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", page)  # without the CSRF token


def reset_link(inbox: Inbox) -> str:
    text = inbox.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = RESET.findall(text)
    assert len(found) == 1, text
    return found[0]


def test_password_change_from_the_profile(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.client("rita")
    profile = rita.get(reverse("tenancy:profile")).content.decode()
    assert reverse("password_change") in profile
    data = {"old_password": "not it", "new_password1": NEW, "new_password2": NEW}
    wrong = rita.post(reverse("password_change"), data)
    assert wrong.status_code == 200 and "Your old password was entered incorrectly" in (
        wrong.content.decode()
    )
    done = rita.post(reverse("password_change"),
                     {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
                     follow=True)  # fmt: skip
    assert 'data-testid="password-changed"' in done.content.decode()
    # Still logged in on this session; the new password works, the old one not.
    assert rita.get(reverse("home")).status_code == 200
    assert can_log_in("rita@acme.test", NEW) and not can_log_in("rita@acme.test", PASSWORD)


def test_password_change_needs_a_login() -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_reset_by_email_end_to_end(world, smtp) -> None:  # type: ignore[no-untyped-def]
    login_page = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    ask_reset("Rita@Acme.test")
    assert smtp.recipients == [["rita@acme.test"]]
    assert smtp.messages[0]["Subject"] == "Reset your Rumbo password"
    link = reset_link(smtp)

    visitor = Client()
    form = visitor.get(link, follow=True)  # Django moves the token out of the address
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = visitor.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "too common" in weak.content.decode()
    done = visitor.post(set_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert 'data-testid="reset-complete"' in done.content.decode()
    assert can_log_in("rita@acme.test", NEW) and not can_log_in("rita@acme.test", PASSWORD)
    # The link works once.
    again = Client().get(link, follow=True)
    assert 'data-testid="reset-invalid"' in again.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_message(world, smtp) -> None:  # type: ignore[no-untyped-def]
    known = ask_reset("rita@acme.test")
    unknown = ask_reset("nobody@acme.test")
    assert known == unknown
    assert smtp.recipients == [["rita@acme.test"]]


def test_reset_requests_are_throttled_per_address(world, smtp) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        ask_reset("rita@acme.test", ip=f"10.2.0.{n}")
    assert len(smtp.messages) == 3  # ACCOUNT_EMAILS_PER_ADDRESS per hour
    # Another person's reset is not held up by it.
    ask_reset("nina@acme.test")
    assert smtp.recipients[-1] == ["nina@acme.test"]


def test_reset_requests_are_throttled_per_client(world, smtp) -> None:  # type: ignore[no-untyped-def]
    for n in range(10):
        ask_reset(f"someone{n}@acme.test", ip="10.3.0.1")
    ask_reset("rita@acme.test", ip="10.3.0.1")
    assert smtp.messages == []
    ask_reset("rita@acme.test", ip="10.3.0.2")
    assert smtp.recipients == [["rita@acme.test"]]
