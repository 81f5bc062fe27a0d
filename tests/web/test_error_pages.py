"""The 403 (a refusal, an expired form), 404 and 500 pages: inside the layout,
in the reader's language, with the navigation for whoever is signed in; JSON
under /api/; the 500 page even when the database does not answer."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.personas import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, name: str, language: str = "") -> Client:
    user = world.members[name].user
    assert user is not None
    if language:
        user.language = language
        user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def test_a_missing_page_is_shown_inside_the_layout_with_the_navigation(world: World) -> None:
    response = signed_in(world, "rita").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in body and "Page not found" in body
    assert 'data-testid="user-menu"' in body  # the navigation, with her name
    assert world.members["rita"].name in body
    assert "Go to your home page" in body


def test_a_missing_page_reads_in_spanish_for_a_spanish_reader(world: World) -> None:
    response = signed_in(world, "rita", language="es").get("/deals/999999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in body
    assert "Página no encontrada" in body and "Page not found" not in body


def test_a_refusal_is_shown_inside_the_layout(world: World) -> None:
    response = signed_in(world, "rita").get("/organisation/")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-page"' in body and "You may not do this" in body
    assert 'data-testid="user-menu"' in body


def test_a_visitor_who_is_not_signed_in_is_offered_the_login(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and 'href="/login/"' in body
    assert 'data-testid="user-menu"' not in body


def test_the_api_keeps_answering_json(world: World) -> None:
    client = signed_in(world, "rita")
    missing = client.get("/api/v1/no-such-operation")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json() == {"detail": "Not found."}
    record = client.get("/api/v1/deals/999999999")
    assert record.status_code == 404 and record.json() == {"detail": "Not found."}


def with_the_database_down(client: Client, url: str) -> Any:
    """GET `url` while every query fails, as when the database server is gone."""
    client.raise_request_exception = False
    down = OperationalError("the database is down")
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=down):
        return client.get(url)


def test_the_server_error_page_shows_when_the_database_is_down(world: World) -> None:
    response = with_the_database_down(signed_in(world, "rita"), "/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-page"' in body and "Something went wrong" in body
    assert "Go to your home page" in body


def test_an_api_server_error_is_json(world: World) -> None:
    response = with_the_database_down(signed_in(world, "rita"), "/api/v1/deals")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side."}


def test_an_expired_form_says_so_inside_the_layout(world: World) -> None:
    user = world.members["rita"].user
    assert user is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/profile/", {"name": "Someone else"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in body and 'data-testid="user-menu"' in body
