"""Each person's language: their own choice on the profile page, else their
organisation's default. Pages say which language they are in (lang attribute
and Content-Language header)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from rumbo.tenancy import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_default_language() -> Iterator[None]:
    # Requests activate a language in this thread; do not let it leak into other tests.
    yield
    translation.deactivate()


def language_of(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    start = page.index("<html lang=") + len('<html lang="')
    return page[start : page.index('"', start)], response["Content-Language"]


def test_profile_form_sets_the_language(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    assert language_of(client.get(reverse("home"))) == ("en", "en")
    response = client.post(
        reverse("tenancy:profile"), {"first_name": "Rita", "last_name": "Ruiz", "language": "es"}
    )
    assert response.status_code == 302
    world.rita.user.refresh_from_db()
    assert world.rita.user.language == "es"
    for url in (reverse("tenancy:profile"), reverse("home"), reverse("sales:deal_list")):
        assert language_of(client.get(url)) == ("es", "es")


def test_the_organisation_default_applies_when_the_user_has_none(world) -> None:  # type: ignore[no-untyped-def]
    world.acme.language = "es"
    world.acme.save()
    assert world.rita.user.language == ""
    assert language_of(world.client("rita").get(reverse("home"))) == ("es", "es")
    # Another organisation keeps its own default.
    assert language_of(world.client("olga").get(reverse("home"))) == ("en", "en")


def test_the_user_choice_wins_over_the_organisation_default(world) -> None:  # type: ignore[no-untyped-def]
    world.acme.language = "es"
    world.acme.save()
    services.user_set_language(user=world.rita.user, language="en")
    assert language_of(world.client("rita").get(reverse("home"))) == ("en", "en")
    assert language_of(world.client("nina").get(reverse("home"))) == ("es", "es")


def test_clearing_the_choice_falls_back_to_the_organisation(world) -> None:  # type: ignore[no-untyped-def]
    world.acme.language = "es"
    world.acme.save()
    client = world.client("rita")
    services.user_set_language(user=world.rita.user, language="en")
    client.post(reverse("tenancy:profile"), {"first_name": "Rita", "language": ""})
    assert language_of(client.get(reverse("home"))) == ("es", "es")


def test_one_person_choice_does_not_change_anyone_else(world) -> None:  # type: ignore[no-untyped-def]
    rita = world.client("rita")
    rita.post(reverse("tenancy:profile"), {"first_name": "Rita", "language": "es"})
    assert language_of(rita.get(reverse("home"))) == ("es", "es")
    assert language_of(world.client("alice").get(reverse("home"))) == ("en", "en")


def test_an_unknown_language_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("rita").post(
        reverse("tenancy:profile"), {"first_name": "Rita", "language": "fr"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.rita.user.refresh_from_db()
    assert world.rita.user.language == ""
    with pytest.raises(ValidationError):
        services.user_set_language(user=world.rita.user, language="fr")


def test_spanish_pages_are_translated(world) -> None:  # type: ignore[no-untyped-def]
    # Needs the compiled Spanish catalogue (compilemessages), as the running app does.
    services.user_set_language(user=world.rita.user, language="es")
    page = world.client("rita").get(reverse("tenancy:profile")).content.decode()
    assert "Perfil e idioma" in page and "Profile and language" not in page
