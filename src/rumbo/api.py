"""The REST API under /api/v1: one NinjaAPI that mounts each app's router.

Authentication: the browser session (with CSRF) or a personal token in
`Authorization: Bearer <token>`. Either way the caller acts as a Member and
every handler reads through `visible_to(request.member)`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from rumbo.tenancy.middleware import SESSION_ORG_KEY, activate_for
from rumbo.tenancy.selectors import member_for_user
from rumbo.tenancy.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        member = api_token_authenticate(token)
        if member is not None:
            activate_for(request, member)
        return member


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        member = member_for_user(request.user, request.session.get(SESSION_ORG_KEY))
        if member is not None:
            activate_for(request, member)
        return member


api = NinjaAPI(
    title="Rumbo API",
    version="1.0.0",
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
)


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", "payload", field], "msg": " ".join(e.messages), "type": "invalid"}
            for field, errors in exc.error_dict.items()
            for e in errors
        ]
    return [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "invalid"}]


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


def mount_routers() -> None:
    from rumbo.sales.api import router as sales_router
    from rumbo.tenancy.api import router as tenancy_router

    api.add_router("/", tenancy_router)
    api.add_router("/", sales_router)


mount_routers()
