"""Sets `request.member` (the user's Member in the current organisation) and
activates that person's language and the organisation's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from rumbo.tenancy.selectors import member_for_user

SESSION_ORG_KEY = "rumbo_org"


def activate_for(request: HttpRequest, member: object | None) -> None:
    """Language: the user's choice, else the organisation's; time zone: the organisation's."""
    request.member = member  # type: ignore[attr-defined]
    if member is None:
        return
    org = member.organization  # type: ignore[attr-defined]
    user = getattr(member, "user", None)
    language = (user.language if user else "") or org.language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    try:
        timezone.activate(zoneinfo.ZoneInfo(org.time_zone))
    except zoneinfo.ZoneInfoNotFoundError:
        timezone.deactivate()


class CurrentMemberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        member = None
        if request.user.is_authenticated:
            member = member_for_user(request.user, request.session.get(SESSION_ORG_KEY))
        activate_for(request, member)
        response = self.get_response(request)
        if member is not None:
            response.headers.setdefault("Content-Language", translation.get_language())
        return response
