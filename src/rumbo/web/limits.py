"""Bounded work for every request (docs/operations.md, "Security").

- `BodyLimitMiddleware`, first of all middleware: a body larger than the URL's
  limit (settings.REQUEST_MAX_BYTES; the import uploads IMPORT_MAX_BYTES) is
  answered 413 from its Content-Length, before anything reads it — before the
  CSRF check or the login, which read the form.
- `BodyLimitUploadHandler`, first of FILE_UPLOAD_HANDLERS: counts the bytes of
  uploaded files as they stream in and stops the upload at the same limit, in
  case a body is longer than its Content-Length said (the middleware then
  answers 413 in place of whatever the view made of half a form).
- `UserThrottle`: API calls per user (its tokens and session together), reads
  and writes apart; past the rate the API answers 429 with Retry-After.
- `StatementTimeoutMiddleware`: on PostgreSQL, each web request's statements
  stop after settings.STATEMENT_TIMEOUT_MS; a cancelled one answers 503. The
  commands and the job worker run without it (they never pass through here).
"""

from __future__ import annotations

import functools
import json
import logging
import weakref
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)
# Room for the multipart framing and the small fields sent beside an import file.
FORM_OVERHEAD = 1024 * 1024


@functools.cache
def _upload_paths() -> set[str]:
    """The URLs that take an import file: only they get the import limit."""
    return {reverse("imports:job_create"), reverse("api-1.0.0:api-root") + "imports"}


def body_limit(request: HttpRequest) -> int:
    """The most bytes a body sent to this URL may hold."""
    if request.method == "POST" and request.path_info in _upload_paths():
        return int(settings.IMPORT_MAX_BYTES) + FORM_OVERHEAD
    return int(settings.REQUEST_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.0f}"


def _answer(request: HttpRequest, status: int, message: str,
            headers: dict[str, str] | None = None) -> HttpResponse:  # fmt: skip
    """A short answer: JSON under /api/, plain text elsewhere (these are
    answered before or outside the pages' layout)."""
    if request.path_info.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": message}), status=status,
                                content_type="application/json")  # fmt: skip
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = _("The request is larger than %(limit)s MB, the most this address accepts.") \
            % {"limit": _megabytes(limit)}  # fmt: skip
    response = _answer(request, 413, message)
    # The rest of the body is not read: tell the client to stop sending it.
    response["Connection"] = "close"
    return response


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django then reads no body at all
        if length > limit:
            return _too_large(request, limit)
        request.body_limit = limit  # type: ignore[attr-defined]
        response = self.get_response(request)
        if getattr(request, "body_refused", False):
            return _too_large(request, limit)
        return response


class BodyLimitUploadHandler(FileUploadHandler):
    """Stops an upload once the files received exceed the request's limit,
    before the next chunk reaches the handlers that write it (memory or a
    temporary file). Passes every chunk on unchanged below the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        request: Any = self.request  # the parser always gives its handlers the request
        limit = getattr(request, "body_limit", None) or body_limit(request)
        if self.received > limit:
            request.body_refused = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def _is_timeout(exc: BaseException) -> bool:
    """A statement PostgreSQL cancelled (statement_timeout: SQLSTATE 57014)."""
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) == "57014" or "statement timeout" in str(cause)


def busy_answer(request: HttpRequest) -> HttpResponse:
    """The 503 of a request whose query ran past the statement timeout."""
    return _answer(request, 503, _(
        "This took too long to compute and was stopped. Try a shorter period or a "
        "smaller selection, or try again in a moment."
    ), {"Retry-After": "30"})  # fmt: skip


# The statement_timeout each open database connection was given (by connection,
# forgotten with it), so it is set once per connection, not per request.
_timeouts: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def _bounded(execute: Callable[..., Any], sql: str, params: Any, many: bool,
             context: dict[str, Any]) -> Any:  # fmt: skip
    """Give the connection the web's statement_timeout before its first
    statement, unless it already has it."""
    timeout = int(settings.STATEMENT_TIMEOUT_MS)
    wrapper = context["connection"]
    raw = wrapper.connection
    if raw is not None and _timeouts.get(raw) != timeout:
        # Inside a transaction a session-level SET would be undone by a rollback
        # while remembered as done: there it is set for the transaction only
        # (and again for the next one), until a statement outside one sets it
        # for the connection. A request's first statement (its session) usually is.
        local = wrapper.in_atomic_block
        if not local:
            _timeouts[raw] = timeout
        with raw.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, %s)",
                           [f"{timeout}ms", local])  # fmt: skip
    return execute(sql, params, many, context)


class StatementTimeoutMiddleware:
    """Sets PostgreSQL's statement_timeout for this request's connection (the
    web's own, never the worker's or a command's), and answers 503 when a
    statement is cancelled by it. Placed before the session and auth
    middleware, so their queries are bounded too; after WhiteNoise, so a
    static file never opens a database connection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        # Set before the request's first statement, not up front: a request
        # that reads nothing (the OpenAPI document, a redirect) opens no
        # connection for it. A session-level SET, once per database connection
        # (a worker thread keeps its connection for DB_CONN_MAX_AGE): only web
        # threads come through here, so no command or job inherits it.
        with connection.execute_wrapper(_bounded):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, OperationalError) and _is_timeout(exception):
            logger.warning("Statement timeout on %s %s", request.method, request.path)
            return busy_answer(request)
        return None


class UserThrottle(SimpleRateThrottle):
    """API calls per signed-in user: every token and the browser session of a
    user share one budget per organisation-independent user, one for reads
    (settings.API_READ_RATE) and one for writes (API_WRITE_RATE), e.g.
    "600/min". The rate is read at each call, so a change of settings (or a
    test) applies at once; an empty rate turns the throttle off. Counted in
    Django's cache: Redis, shared by every worker, in production."""

    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self) -> None:  # the rate is read per request, not once
        self.rate = None
        self.num_requests = self.duration = None

    def get_cache_key(self, request: HttpRequest) -> str | None:
        member = getattr(request, "auth", None)
        user_id = getattr(member, "user_id", None)
        if user_id is None:
            return None  # unauthenticated calls are refused (401) before this
        return self.cache_format % {"scope": self.scope, "ident": user_id}

    def allow_request(self, request: HttpRequest) -> bool:
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        self.scope = "api_write" if writes else "api_read"
        self.rate = settings.API_WRITE_RATE if writes else settings.API_READ_RATE
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))
