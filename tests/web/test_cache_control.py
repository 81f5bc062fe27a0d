"""Answers made for a signed-in person are never kept by a shared cache or the
browser's disk cache: `Cache-Control: private, no-store` on every page and
API answer to a signed-in user (issue 14); public answers keep
their own caching (the login page is never cached anyway, by Django)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.tenancy.api_client import bearer

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_pages_and_api_answers_to_a_signed_in_user_are_private_and_not_stored(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client("rita")
    deal = world.records["rita"].deal
    for url in ["/", f"/deals/{deal.pk}/", "/customers/?page=2", "/export/deals/?format=csv",
                "/api/v1/deals", "/api/v1/me", "/lookup/customer/?q=Rita"]:  # fmt: skip
        answer = browser.get(url)
        assert answer.status_code == 200, url
        assert {"private", "no-store"} <= _directives(answer), url
    token = bearer(world.rita)
    for url in ["/api/v1/deals", f"/api/v1/deals/{deal.pk}", f"/api/v1/deals/{deal.pk + 999}"]:
        assert {"private", "no-store"} <= _directives(token.get(url)), url


def test_anonymous_pages_and_refusals_are_unchanged() -> None:
    anonymous = Client()
    assert "no-store" not in _directives(anonymous.get("/jsi18n/"))
    refused = anonymous.get("/api/v1/deals")
    assert refused.status_code == 401 and "private" not in _directives(refused)
