"""Logging in with an email address. Emails are stored lower-case, so the login
and the lockout both compare the lower-cased, trimmed address: `Rita@Acme.test`
logs Rita in, and counts against Rita's lockout rather than opening a fresh
five-guess budget for every spelling."""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.http import HttpRequest

# The backend a session remembers when a view logs someone in (sign-up,
# invitation): the one whose get_user reads the memberships with the user.
SESSION_BACKEND = "rumbo.tenancy.auth.EmailBackend"


def normalize_email(value: Any) -> str:
    return str(value or "").strip().lower()


class EmailBackend(ModelBackend):
    """ModelBackend that matches the email whatever its case, and that loads a
    logged-in user together with their active memberships."""

    def get_user(self, user_id: Any) -> Any:
        """The session's user, read with their active Member rows (organisation
        and team joined) in one query: every page needs both, and under load
        each round trip to the database costs more than the query itself
        (docs/benchmarks.md). `tenancy.selectors.member_for_user` picks from
        `user.active_memberships`. A user without one takes Django's own path."""
        from rumbo.tenancy.models import Member  # the backend loads before the apps

        members = list(
            Member.objects.select_related("organization", "user", "team")
            .filter(user_id=user_id, is_active=True).order_by("organization__name", "pk")
        )  # fmt: skip
        if not members:
            return super().get_user(user_id)
        user = members[0].user
        if user is None or not self.user_can_authenticate(user):
            return None
        for member in members:
            member.user = user
        user.active_memberships = members  # type: ignore[attr-defined]
        return user

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


class AxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second limit, per client address
    alone: AXES_IP_FAILURE_LIMIT failures from one address within the cool-off,
    whatever emails they tried, lock that address out too. Axes compares every
    lockout parameter against its one AXES_FAILURE_LIMIT, so adding a plain
    "ip_address" parameter would lock an office after five typos; spraying one
    password over twenty emails is what this catches."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        limit = int(get_failure_limit(request, credentials))
        if failures >= limit or get_cool_off(request) is None:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(n=Sum("failures_since_start"))["n"]
            or 0
        )
        return limit if from_address >= settings.AXES_IP_FAILURE_LIMIT else failures
