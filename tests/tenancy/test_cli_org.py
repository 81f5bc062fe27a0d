"""`rumbo org create` and `rumbo org list`: an operator sets up an organisation
from the console, with the same rules as the sign-up page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rumbo.tenancy.models import AuditEntry, Member, Organization, Role, Team, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("org", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int, int]:
    return (
        Organization.objects.count(),
        Team.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )


def test_create_makes_the_organisation_its_team_and_its_admin() -> None:
    out = run("create", "nova", "--name", "Nova Sales", "--currency", "usd",
              "--admin", "Boss@Nova.test", "--admin-name", "Bea Boss",
              "--language", "es", "--time-zone", "America/Bogota")  # fmt: skip
    org = Organization.objects.get(slug="nova")
    assert (org.name, org.currency, org.language, org.time_zone) == (
        "Nova Sales", "USD", "es", "America/Bogota",
    )  # fmt: skip
    admin = Member.objects.get(organization=org)
    assert admin.role == Role.ADMIN and admin.name == "Bea Boss"
    assert admin.user is not None and admin.user.email == "boss@nova.test"
    # No password was given: the admin cannot log in until one is set.
    assert not admin.user.has_usable_password()
    assert Team.objects.get(organization=org).manager == admin
    assert "Created nova (Nova Sales, USD); admin boss@nova.test." in out
    assert "rumbo changepassword boss@nova.test" in out


def test_create_an_independent_seller() -> None:
    run("create", "solo", "--name", "Solo", "--currency", "EUR", "--admin", "me@solo.test",
        "--independent")  # fmt: skip
    org = Organization.objects.get(slug="solo")
    assert org.is_independent
    assert Member.objects.get(organization=org).name == "me"


def test_an_existing_login_becomes_the_admin_of_a_second_organisation() -> None:
    user = User.objects.create_user("owner@example.test", "kept password 123")
    out = run("create", "second", "--name", "Second", "--currency", "EUR",
              "--admin", "owner@example.test")  # fmt: skip
    assert Member.objects.get(organization__slug="second").user == user
    user.refresh_from_db()
    assert user.check_password("kept password 123")
    assert "changepassword" not in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--currency", "XYZ"], "currency: Value 'XYZ' is not a valid choice."),
        (["--currency", "EURO"], "currency:"),
        (["--admin", "not an email"], "email: Enter a valid email address."),
        (["--admin", ""], "email: Enter a valid email address."),
        (["--name", "  "], "name: This field cannot be blank."),
        (["--time-zone", "Mars/Olympus"], "time_zone: Mars/Olympus is not a known time zone."),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(args: list[str], message: str) -> None:
    base = {"--name": "Nova", "--currency": "EUR", "--admin": "boss@nova.test"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        run("create", "nova", *[part for pair in base.items() for part in pair])
    assert message in str(excinfo.value)
    assert counts() == before


def test_a_bad_slug_is_refused() -> None:
    with pytest.raises(CommandError, match="slug:"):
        run("create", "not a slug!", "--name", "X", "--currency", "EUR", "--admin", "x@x.test")
    assert not Organization.objects.exists()


def test_a_duplicate_slug_is_refused_and_writes_nothing() -> None:
    f.OrganizationFactory(slug="acme", name="Acme")
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        run("create", "acme", "--name", "Other", "--currency", "EUR", "--admin", "b@other.test")
    assert str(excinfo.value) == "slug: Organisation with this Slug already exists."
    assert counts() == before
    assert not User.objects.filter(email="b@other.test").exists()


def test_list_shows_every_organisation_by_slug() -> None:
    run("create", "zeta", "--name", "Zeta", "--currency", "EUR", "--admin", "z@zeta.test")
    run("create", "alpha", "--name", "Alpha Ventas", "--currency", "MXN", "--admin",
        "a@alpha.test", "--language", "es")  # fmt: skip
    lines = run("list").splitlines()
    assert lines == ["alpha\tAlpha Ventas\tMXN\tes", "zeta\tZeta\tEUR\ten"]


def test_list_with_no_organisations_prints_nothing() -> None:
    assert run("list") == ""


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(CommandError):
        run("explode")
