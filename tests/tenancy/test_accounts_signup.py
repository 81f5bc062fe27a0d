"""Sign-up: one form creates the organisation, its root team and its admin, and
logs that admin in. An independent seller is an organisation of one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rumbo.sales import services as sales_services
from rumbo.sales.models import Customer, Deal, Product
from rumbo.tenancy import scoping
from rumbo.tenancy.models import AuditEntry, Member, Organization, Role, Team, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct horse battery 9"


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


def test_signup_creates_organisation_team_and_admin_and_logs_in() -> None:
    client = Client()
    response = client.post(reverse("signup"), form(), follow=True)

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


def test_signup_email_is_case_insensitive_for_later_login() -> None:
    Client().post(reverse("signup"), form(email="Ana@Example.TEST"))
    assert User.objects.filter(email="ana@example.test").exists()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "ana@example.test", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert get_user(client).is_authenticated


def test_two_organisations_with_the_same_name_get_distinct_slugs() -> None:
    Client().post(reverse("signup"), form())
    Client().post(reverse("signup"), form(email="luis@example.test"))
    slugs = set(Organization.objects.filter(name="Ruiz Ventas").values_list("slug", flat=True))
    assert len(slugs) == 2 and "ruiz-ventas" in slugs


def test_duplicate_email_is_refused_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    response = Client().post(reverse("signup"), form(email="RITA@acme.test"))
    assert response.status_code == 400
    assert "An account with this email exists" in response.content.decode()
    assert counts() == before
    assert not get_user(response.wsgi_request).is_authenticated  # type: ignore[attr-defined]


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
def solo() -> tuple[Client, Member]:
    client = Client()
    response = client.post(
        reverse("signup"),
        form(name="Pat Solo", email="pat@example.test", organization="Pat Sells",
             currency="EUR", language="en", time_zone="Europe/Madrid", independent="on"),
    )  # fmt: skip
    assert response.status_code == 302
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
    Deal.objects.create(
        organization=org, name="Won", owner=member, amount=Decimal("250.00"),
        amount_base=Decimal("250.00"), currency="EUR", outcome="won", stage="closed",
        created_on=timezone.localdate() - dt.timedelta(days=5),
        closed_on=timezone.localdate() - dt.timedelta(days=2),
    )  # fmt: skip
    response = client.get(reverse("home"))
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
