"""Logging in with an email address. Emails are stored lower-case, so the login
and the lockout both compare the lower-cased, trimmed address: `Rita@Acme.test`
logs Rita in, and counts against Rita's lockout rather than opening a fresh
five-guess budget for every spelling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def normalize_email(value: Any) -> str:
    return str(value or "").strip().lower()


class EmailBackend(ModelBackend):
    """ModelBackend that matches the email whatever its case."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is not None:
            username = normalize_email(username)
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account django-axes counts failures against (AXES_USERNAME_CALLABLE)."""
    if credentials:
        return normalize_email(credentials.get("username"))
    data = getattr(request, "data", None) or request.POST
    return normalize_email(data.get("username"))
