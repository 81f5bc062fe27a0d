"""Sign-up: one form, then the link emailed to the address (real SMTP) creates
the organisation, its root team and its admin, and logs that admin in. Nothing
exists before the link is opened, and the answer never tells whether the
address already has a login. An independent seller is an organisation of one."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales import services as sales_services
from rumbo.sales.models import Customer, Deal, Product
from rumbo.tenancy import scoping
from rumbo.tenancy.models import AuditEntry, Member, Organization, Role, SignupRequest, Team, User
from tests.mail import Inbox
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct horse battery 9"
LINK = re.compile(r"http://testserver/signup/confirm/[\w-]+/")


def link_in(inbox: Inbox, index: int = -1) -> str:
    text = inbox.messages[index].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = LINK.findall(text)
    assert len(found) == 1, text
    return found[0]


def pages(response: Any) -> list[str]:
    return [t.name for t in response.templates if not t.name.startswith("tenancy/email/")]


def same_page(response: Any) -> str:
    """The page without what differs on every answer (CSRF token, CSP nonce)."""
    return re.sub(r'nonce="[^"]*"|\b[A-Za-z0-9]{64}\b', "", response.content.decode())


def sign_up(client: Client, inbox: Inbox, follow: bool = True, **overrides: Any) -> Any:
    """Submit the form, open the emailed link and confirm: the whole sign-up."""
    sent = client.post(reverse("signup"), form(**overrides))
    assert sent.status_code == 200 and 'data-testid="signup-sent"' in sent.content.decode()
    link = link_in(inbox)
    assert client.get(link).status_code == 200
    return client.post(link, follow=follow)


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Ana Ruiz",
        "email": "ana@example.test",
        "password": GOOD_PASSWORD,
        "organization": "Ruiz Ventas",
        "currency": "MXN",
        "language": "es",
        "time_zone": "America/Mexico_City",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int, int]:
    return (
        Organization.objects.count(),
        Team.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )


def test_signup_creates_organisation_team_and_admin_and_logs_in(smtp) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = sign_up(client, smtp)

    assert smtp.recipients == [["ana@example.test"]]
    with translation.override("es"):  # in the language chosen on the form
        assert smtp.messages[0]["Subject"] == gettext("Confirm your email for Rumbo")
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.status_code == 200
    org = Organization.objects.get(name="Ruiz Ventas")
    assert (org.slug, org.currency, org.language, org.time_zone) == (
        "ruiz-ventas", "MXN", "es", "America/Mexico_City",
    )  # fmt: skip
    assert not org.is_independent
    member = Member.objects.get(organization=org)
    assert member.role == Role.ADMIN and member.name == "Ana Ruiz"
    assert member.user is not None and member.user.email == "ana@example.test"
    assert member.user.check_password(GOOD_PASSWORD)
    root = Team.objects.get(organization=org)
    assert root.parent is None and root.manager == member and member.team == root
    # Logged in as that admin, on the home page of the new organisation.
    assert get_user(client).pk == member.user.pk
    assert response.context["member"] == member
    assert response.templates[0].name == "web/home.html"


def test_signup_email_is_case_insensitive_for_later_login(smtp) -> None:  # type: ignore[no-untyped-def]
    sign_up(Client(), smtp, email="Ana@Example.TEST")
    assert User.objects.filter(email="ana@example.test").exists()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "ana@example.test", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert get_user(client).is_authenticated


def test_two_organisations_with_the_same_name_get_distinct_slugs(smtp) -> None:  # type: ignore[no-untyped-def]
    sign_up(Client(), smtp)
    sign_up(Client(), smtp, email="luis@example.test")
    slugs = set(Organization.objects.filter(name="Ruiz Ventas").values_list("slug", flat=True))
    assert len(slugs) == 2 and "ruiz-ventas" in slugs


def test_nothing_exists_until_the_link_is_opened(smtp) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    before = counts()
    client.post(reverse("signup"), form())
    assert counts() == before and not get_user(client).is_authenticated
    # Only the request is stored, its password hashed, its token hashed.
    pending = SignupRequest.objects.get()
    assert GOOD_PASSWORD not in str(pending.data) and pending.data["password_hash"]
    link = link_in(smtp)
    assert not SignupRequest.objects.filter(token_hash=link.rstrip("/").rsplit("/", 1)[1]).exists()
    # Opening the link (as a mail scanner would) shows a button; creates nothing.
    assert "Create my organisation" in client.get(link).content.decode()
    assert counts() == before
    assert client.post(link).status_code == 302
    assert Organization.objects.filter(name="Ruiz Ventas").exists()
    # The link works once.
    again = Client()
    assert again.get(link).status_code == 404 and again.post(link).status_code == 404


def test_an_expired_link_creates_nothing(smtp) -> None:  # type: ignore[no-untyped-def]
    Client().post(reverse("signup"), form())
    SignupRequest.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = counts()
    assert Client().post(link_in(smtp)).status_code == 404
    assert counts() == before


def test_an_existing_email_gets_the_same_page_and_a_login_hint_not_a_link(world, smtp) -> None:  # type: ignore[no-untyped-def]
    new = Client().post(reverse("signup"), form(language="en"))
    before = counts()
    known = Client().post(reverse("signup"), form(email="RITA@acme.test", language="en"))
    assert known.status_code == new.status_code == 200
    assert pages(known) == pages(new) == ["tenancy/signup_sent.html", "web/base.html"]
    # The same page, but for the address it names.
    assert same_page(known).replace("rita@acme.test", "ana@example.test") == same_page(new)
    assert counts() == before and SignupRequest.objects.filter(email="rita@acme.test").count() == 0
    assert not get_user(known.wsgi_request).is_authenticated  # type: ignore[attr-defined]
    # Rita's message says she has an account, and carries no sign-up link.
    message = smtp.messages[-1]
    assert smtp.recipients[-1] == ["rita@acme.test"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "you already have an account" in text and "/password/reset/" in text
    assert not LINK.findall(text)
    world.rita.user.refresh_from_db()
    assert world.rita.user.check_password(PASSWORD)


def test_a_link_for_an_email_that_got_a_login_meanwhile_creates_nothing(world, smtp) -> None:  # type: ignore[no-untyped-def]
    Client().post(reverse("signup"), form(email="new@example.test"))
    User.objects.create_user("new@example.test", "their own pw 123")
    before = counts()
    response = Client().post(link_in(smtp))
    assert response.status_code == 409 and "log in instead" in response.content.decode()
    assert counts() == before
    assert User.objects.get(email="new@example.test").check_password("their own pw 123")


def test_sign_up_messages_are_throttled_per_address(world, smtp) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        page = Client().post(reverse("signup"), form(email="rita@acme.test"))
        assert 'data-testid="signup-sent"' in page.content.decode()
    assert len(smtp.messages) == 3  # ACCOUNT_EMAILS_PER_ADDRESS per hour


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174659", "entirely numeric"),
        ("ana@example.test", "too similar"),
    ],
)
def test_weak_password_is_refused_and_writes_nothing(password: str, complaint: str) -> None:
    before = counts()
    response = Client().post(reverse("signup"), form(password=password))
    assert response.status_code == 400
    assert complaint in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    "field, value",
    [("currency", "XYZ"), ("organization", "!!!"), ("email", "not-an-email"), ("name", "")],
)
def test_other_invalid_input_writes_nothing(field: str, value: str) -> None:
    before = counts()
    response = Client().post(reverse("signup"), form(**{field: value}))
    assert response.status_code == 400
    assert counts() == before


def test_unknown_time_zone_writes_nothing() -> None:
    before = counts()
    response = Client().post(reverse("signup"), form(time_zone="Mars/Olympus"))
    assert response.status_code == 400
    assert "not a known time zone" in response.content.decode()
    assert counts() == before


# Independent seller: an organisation of one person holding every role.


@pytest.fixture
def solo(smtp) -> tuple[Client, Member]:  # type: ignore[no-untyped-def]
    client = Client()
    response = sign_up(
        client, smtp, follow=False, name="Pat Solo", email="pat@example.test",
        organization="Pat Sells", currency="EUR", language="en", time_zone="Europe/Madrid",
        independent="on",
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("home")
    return client, Member.objects.get(email="pat@example.test")


def test_independent_seller_is_an_organisation_of_one(solo) -> None:  # type: ignore[no-untyped-def]
    _client, member = solo
    org = member.organization
    assert org.is_independent
    assert list(org.members.all()) == [member]
    # Admin of the organisation and manager of its only team: every role at once.
    assert member.role == Role.ADMIN
    assert list(member.managed_teams.all()) == [member.team]


def test_independent_seller_sees_writes_and_owns_everything(solo) -> None:  # type: ignore[no-untyped-def]
    _client, member = solo
    org = member.organization
    product = sales_services.product_save(
        actor=member, creating=True,
        product=Product(organization=org, sku="B-1", name="Book", list_price=Decimal("20.00")),
    )  # fmt: skip
    customer = sales_services.customer_save(
        actor=member, creating=True,
        customer=Customer(organization=org, name="Bookshop", kind="business", owner=member),
    )  # fmt: skip
    deal = sales_services.deal_save(
        actor=member, creating=True,
        deal=Deal(organization=org, name="First order", customer=customer, owner=member,
                  amount=Decimal("400.00"), currency="EUR", outcome="won", stage="closed",
                  created_on=timezone.localdate() - dt.timedelta(days=3),
                  closed_on=timezone.localdate() - dt.timedelta(days=1)),
    )  # fmt: skip
    for model, obj in ((Product, product), (Customer, customer), (Deal, deal)):
        assert list(model.objects.visible_to(member)) == [obj]
        assert scoping.can_write(member, obj)
    for model in (Product, Customer, Deal, Member, Team):
        assert scoping.can_create(member, model)
    assert customer.owner == member and deal.owner == member


def test_independent_seller_home_page_shows_own_sales(solo) -> None:  # type: ignore[no-untyped-def]
    client, member = solo
    org = member.organization
    customer = Customer.objects.create(organization=org, name="Bookshop", owner=member)
    Deal.objects.create(
        organization=org, name="Won", owner=member, customer=customer, amount=Decimal("250.00"),
        amount_base=Decimal("250.00"), currency="EUR", outcome="won", stage="closed",
        created_on=timezone.localdate() - dt.timedelta(days=5),
        closed_on=timezone.localdate() - dt.timedelta(days=2),
    )  # fmt: skip
    metrics_rebuild(organization=org)  # the home page's figures read the rollups
    response = client.get(reverse("home"), {"period": "year"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your sales, Pat Solo" in page
    assert response.context["figures"].revenue == Decimal("250.00")
    assert response.context["figures"].deals_won == 1


def test_logged_in_user_without_organisation_is_sent_to_signup() -> None:
    user = User.objects.create_user("lost@example.test", GOOD_PASSWORD)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("signup")
