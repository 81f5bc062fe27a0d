"""The REST API under /api/v1: one NinjaAPI that mounts each app's router.

Authentication: the browser session (with CSRF) or a personal token in
`Authorization: Bearer <token>`. Either way the caller acts as a Member and
every handler reads through `visible_to(request.member)`."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from rumbo.tenancy.middleware import SESSION_ORG_KEY, activate_for
from rumbo.tenancy.selectors import member_for_user
from rumbo.tenancy.services import api_token_authenticate
from rumbo.web.limits import UserThrottle
from rumbo.web.openapi import RumboNinjaAPI


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        member = api_token_authenticate(token)
        if member is not None:
            activate_for(request, member)
        return member


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Unsafe methods must carry the CSRF token
    (header X-CSRFToken), as any form on the site must. A request with no
    logged-in session is not checked for CSRF: it is simply unauthenticated
    (401), and a bearer-token client never meets the check."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)  # raises 403 when the CSRF check fails

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        # The middleware has already found the member for this session.
        member = getattr(request, "member", None)
        if member is None or member.user_id != request.user.pk:
            member = member_for_user(request.user, request.session.get(SESSION_ORG_KEY))
        if member is not None:
            activate_for(request, member)
        return member


api = RumboNinjaAPI(
    title="Rumbo API",
    version="1.0.0",
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
    # Per user (all their tokens and their session), reads and writes apart:
    # settings API_READ_RATE / API_WRITE_RATE (web/limits.py).
    throttle=[UserThrottle()],
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """429; ninja adds Retry-After (whole seconds) to this answer."""
    wait = math.ceil(exc.wait) if exc.wait is not None else None
    message = (_("Too many requests; try again in %(seconds)s seconds.") % {"seconds": wait}
               if wait is not None else _("Too many requests; try again later."))  # fmt: skip
    return api.create_response(request, {"detail": message}, status=429)


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Django's field errors in the shape ninja gives its own: one entry per
    field, `loc` ending with the field's name (none for a whole-record error)."""
    if not hasattr(exc, "error_dict"):
        return [{"loc": ["body", "payload"], "msg": " ".join(exc.messages), "type": "invalid"}]
    return [
        {
            "loc": ["body", "payload"] + ([] if field == NON_FIELD_ERRORS else [field]),
            "msg": " ".join(message for error in errors for message in error.messages),
            "type": "invalid",
        }
        for field, errors in exc.error_dict.items()
    ]


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def mount_routers() -> None:
    from rumbo.care.api import router as care_router
    from rumbo.goals.api import router as goals_router
    from rumbo.imports.api import router as imports_router
    from rumbo.metrics.api import router as metrics_router
    from rumbo.metrics.scorecard_api import router as scorecard_router
    from rumbo.notifications.api import router as notifications_router
    from rumbo.recognition.api import router as recognition_router
    from rumbo.sales.api import router as sales_router
    from rumbo.search.api import router as search_router
    from rumbo.tenancy.api import router as tenancy_router

    api.add_router("/", tenancy_router)
    api.add_router("/", sales_router)
    api.add_router("/imports", imports_router)
    api.add_router("/metrics", metrics_router)
    api.add_router("/", goals_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/", scorecard_router)
    api.add_router("/", search_router)
    api.add_router("/", recognition_router)
    api.add_router("/", care_router)


mount_routers()
