"""`Cache-Control: private, no-store` on every answer to a signed-in user.

A page or API answer made for one person (their deals, their figures, a token
just created) must not be kept by a shared proxy or the browser's disk cache,
where the next user of the machine or the proxy could read it. Answers to
anonymous visitors (the login page) and static files (served by WhiteNoise
before this middleware runs) keep their own caching."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # An API call with a bearer token: ninja set the member it acts as.
    return getattr(request, "auth", None) is not None


class PrivateNoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
