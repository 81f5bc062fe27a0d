"""Rumbo's settings plus one timing middleware, for bench/load_dashboards.py only.

The middleware sits first (outermost) in MIDDLEWARE, so the time it reports is
everything Django does for a request — the other middleware, the view, its
queries and the template — but not gunicorn's parsing and socket writes, which
the client latency includes. It answers with a `Server-Timing` header:

    Server-Timing: app;dur=12.3, db;dur=4.5;desc="7", cpu;dur=9.8

app = wall time in Django, db = wall time inside database calls (desc = how many
queries), cpu = this thread's CPU time (on a busy machine the CPU time says
more about the code than the wall clock). Never used by the application."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

from rumbo.settings import *  # noqa: F403 - the bench serves the real settings
from rumbo.settings import MIDDLEWARE as _BASE_MIDDLEWARE


class _QueryClock:
    """Sums the wall time and count of the database calls of one request."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: dict[str, Any]) -> Any:  # fmt: skip
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    """Adds the `Server-Timing` header described in this module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clock = _QueryClock()
        start, cpu = time.perf_counter(), time.thread_time()
        with connections["default"].execute_wrapper(clock):
            response = self.get_response(request)
            # Templates render lazily for TemplateResponse; force it inside the clock.
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
        app = (time.perf_counter() - start) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        response["Server-Timing"] = (
            f'app;dur={app:.2f}, db;dur={clock.seconds * 1000:.2f};desc="{clock.count}", '
            f"cpu;dur={cpu_ms:.2f}"
        )
        return response


MIDDLEWARE = ["bench.settings_timing.ServerTimingMiddleware", *_BASE_MIDDLEWARE]
