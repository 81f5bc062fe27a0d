"""Content-Security-Policy: every page sends one that allows only our own
origin and no inline or evaluated script, and the pages need nothing more."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["login", "signup"]
MEMBER_PAGES = [
    "home", "tenancy:profile", "tenancy:token_list", "tenancy:member_list", "tenancy:team_list",
    "sales:deal_list", "sales:deal_create", "sales:customer_list", "sales:customer_create",
    "sales:complaint_list", "api-1.0.0:openapi-view",
]  # fmt: skip


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy")
    assert header, response.request["PATH_INFO"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def responses(world):  # type: ignore[no-untyped-def]
    anonymous, alice = Client(), world.client("alice")
    for name in ANONYMOUS_PAGES:
        yield anonymous.get(reverse(name))
    for name in MEMBER_PAGES:
        yield alice.get(reverse(name))
    yield anonymous.get("/no-such-page/")


def test_every_page_sends_a_strict_policy(world) -> None:  # type: ignore[no-untyped-def]
    for response in responses(world):
        csp = policy(response)
        header = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
        assert "*" not in header and "http:" not in header and "https:" not in header
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]


def test_pages_need_no_inline_script_or_style_and_no_other_origin(world) -> None:  # type: ignore[no-untyped-def]
    # With the policy above the browser would block these, so the pages must not use them.
    for response in responses(world):
        page = response.content.decode()
        path = response.request["PATH_INFO"]
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"<style\b", page), path
        assert not re.search(r"\sstyle\s*=", page), path
        assert not re.search(r"\son[a-z]+\s*=", page), path
        assert not re.search(r"javascript:", page, re.I), path
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page), path


def test_other_security_headers_are_sent(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").get(reverse("home"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
