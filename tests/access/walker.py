"""One persona's walk: make a call, compare the status with the expectation,
inspect the response, and record every mismatch in the `Report`.

Every call runs inside a transaction that is rolled back afterwards, so an
allowed delete or edit leaves the world as it was for the next call; a refused
write is also checked to have changed nothing (the row and the audit log)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import models, transaction
from django.http import HttpResponse
from django.test import Client

from rumbo.tenancy.models import AuditEntry, Member
from tests.access import checks, rules
from tests.access.expected import RANKINGS
from tests.access.world import leak_markers, named_references
from tests.personas import World

ANONYMOUS = "anonymous"
LOGIN = "login redirect"


@dataclass
class Watch:
    """What must not change when a write is refused: one row, some rows (`pks`:
    other people's, when the caller acts on their own), or a model's row count."""

    model: type[models.Model]
    pk: int | None = None
    pks: tuple[int, ...] = ()

    def state(self) -> Any:
        rows = self.model._base_manager.all()
        if self.pks:
            current: Any = list(rows.filter(pk__in=self.pks).order_by("pk").values())
        else:
            current = list(rows.filter(pk=self.pk).values()) if self.pk else rows.count()
        return current, AuditEntry.objects.count()


def _buffered(response: Any) -> HttpResponse:
    """A streamed answer (CSV export, file download) as a plain one. (The test
    client closes it once read; closing it again would fire request_finished,
    whose handler closes a PostgreSQL connection that is inside a transaction.)"""
    content = b"".join(response.streaming_content)
    return HttpResponse(content, status=response.status_code, headers=dict(response.items()))


def describe(obj: models.Model) -> str:
    return f"{obj._meta.model_name} #{obj.pk} “{obj}”"


class Walker:
    def __init__(self, world: World, persona: str | None, report: checks.Report,
                 client: Client | None = None,
                 routes: Iterable[checks.RecordRoute] = ()) -> None:  # fmt: skip
        self.world = world
        self.persona = persona or ANONYMOUS
        self.member: Member | None = world.members[persona] if persona else None
        self.report = report
        if client is None:
            client = world.client(persona) if persona else Client()
        client.raise_request_exception = True  # caught in `call`, to report what broke
        self.client = client
        self.routes = list(routes)
        named = named_references(self.member)
        self.forbidden = [label for label, obj in leak_markers(world)
                          if rules.access(self.member, obj) == "none"
                          and obj not in named]  # fmt: skip
        # Names a ranking may show (expected.RANKINGS), and nothing else may.
        self.ranked = {label for label, obj in leak_markers(world)
                       if label in self.forbidden and rules.ranked(self.member, obj)}  # fmt: skip
        self._csp_seen: set[tuple[str, str]] = set()
        self._objects: dict[tuple[Any, int], Any] = {}
        self._access: dict[tuple[Any, Any], str] = {}
        self._where = ""

    # What the persona may do.

    def access(self, obj: models.Model) -> str:
        # Calls roll back, so a record's access stays what it was: work it out once.
        key = (type(obj), obj.pk)
        if key not in self._access:
            self._access[key] = rules.access(self.member, obj)
        return self._access[key]

    def refusal(self, model: type[models.Model]) -> list[int]:
        """The answer to a record the persona may not see (see `rules.refusal`)."""
        return [rules.refusal(self.member, model)]

    def role_gated(self, model: type[models.Model]) -> bool:
        return rules.refusal(self.member, model) == 403

    def may_create(self, model: type[models.Model]) -> bool:
        return self.member is not None and rules.may_create(self.member, model)

    # Calls.

    def call(self, method: str, url: str, expected: Iterable[int] | str, *, about: str = "",
             data: Any = None, headers: dict[str, str] | None = None,
             as_json: bool = False, watch: Watch | None = None,
             where: str = "") -> Any:  # fmt: skip
        """Make one call and check it. `expected`: allowed statuses, or LOGIN."""
        self.report.calls += 1
        self._where = where or url
        self.report.by_where[self._where] += 1
        with transaction.atomic():
            before = watch.state() if watch else None
            try:
                response = self._send(method, url, data, as_json, headers)
                if response.streaming:  # read it now: it may still query the database
                    response = _buffered(response)
            except Exception as exc:  # noqa: BLE001 - a crash is one more finding to list
                transaction.set_rollback(True)
                self.fail(method, url, "an answer", f"{type(exc).__name__}: {exc}"[:160], about)
                return HttpResponse(status=500)
            # After a server error the transaction may be unusable; the 500 is reported anyway.
            changed = watch is not None and response.status_code < 500 and watch.state() != before
            transaction.set_rollback(True)
        got = str(response.status_code)
        if expected == LOGIN:
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith("/login/"):
                self.fail(method, url, LOGIN, f"{got} {location}".strip(), about)
        elif response.status_code not in set(expected):  # type: ignore[arg-type]
            want = "/".join(str(s) for s in sorted(expected))  # type: ignore[arg-type]
            self.fail(method, url, want, got, about)
        if changed:
            self.fail(method, url, "nothing changed", "the database changed", about)
        self.inspect(method, url, response, about)
        return response

    def _send(self, method: str, url: str, data: Any, as_json: bool,
              headers: dict[str, str] | None) -> Any:  # fmt: skip
        if as_json:
            body = "" if data is None else json.dumps(data)
            return self.client.generic(method, url, body, content_type="application/json",
                                       headers=headers)  # fmt: skip
        if method == "POST":
            return self.client.post(url, data or {}, headers=headers)
        return self.client.generic(method, url, headers=headers)

    def fail(self, method: str, url: str, expected: str, got: str, about: str = "") -> None:
        self.report.add(checks.Outcome(self.persona, method, url, expected, got, about,
                                       self._where))  # fmt: skip

    # What every response is checked for.

    def inspect(self, method: str, url: str, response: HttpResponse, about: str) -> None:
        body = response.content.decode(errors="replace")
        ranking = urlsplit(url).path in RANKINGS
        for label in self.forbidden:
            if label in body and not (ranking and label in self.ranked):
                self.fail(method, url, "no unseen record", f"shows “{label}”", about)
        if not checks.is_html(response):
            return
        for problem in checks.csp_problems(response):
            if (self._where, problem) not in self._csp_seen:  # once per page is enough
                self._csp_seen.add((self._where, problem))
                self.fail(method, url, "strict CSP", problem, about)
        for model, pk in checks.linked_records(checks.page_urls(response), self.routes):
            obj = self.lookup(model, pk)
            if obj is not None and self.access(obj) == "none":
                self.fail(method, url, "no unseen record", f"links to {describe(obj)}", about)

    def lookup(self, model: Any, pk: int) -> Any:
        key = (model, pk)
        if key not in self._objects:
            self._objects[key] = model._base_manager.filter(pk=pk).first()
        return self._objects[key]
