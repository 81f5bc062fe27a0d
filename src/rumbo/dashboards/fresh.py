"""Saved means shown (ADR 0019): after a write through a page — a won deal
saved, a complaint resolved, a survey entered — the next page the person sees
shows it. The rollups those writes queued are refreshed in the request, once
the view has answered and its writes have committed, before the answer
leaves; the background job each write queued stays as the fallback.

Only pages: the API's clients write in bulk and read figures when they choose
(a refresh per call would slow an integration's loop), and imports already
refresh before they report (`metrics.services.refresh_now`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from rumbo.metrics import inline

SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API = "/api/"


class SavedMeansShownMiddleware:
    """Around a page's POST (PUT, PATCH, DELETE): note the writes' rollup keys,
    and refresh them before returning the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE or request.path_info.startswith(API):
            return self.get_response(request)
        with inline.own_writes():
            response = self.get_response(request)
            inline.refresh_noted()
        return response
