"""Every operation of the REST API, as every persona of both organisations
(with a bearer token, and with the browser session) and anonymously.

Expectations come from `rules`, as for the pages: a record the caller may not
see is a 404 to GET, PATCH and DELETE alike and stays unchanged; one they may
see but not write is a 403 to PATCH and DELETE; a catalogue, member or team
create by a non-admin is a 403 that creates nothing; lists hold exactly the
visible rows. Without credentials every operation answers 401."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from rumbo.tenancy.models import ApiToken
from tests.access import checks, rules
from tests.access.api import (
    OPENAPI,
    PAYLOADS,
    PREFIX,
    Operation,
    operations,
    payload_from,
    text_change,
)
from tests.access.known import API_BUGS
from tests.access.walker import Walker, Watch, describe
from tests.access.world import PERSONAS, api_tokens, labelled_records, records_of
from tests.personas import World

pytestmark = pytest.mark.django_db

CHANGED = "Changed by the access walk"
# What an allowed call answers, by kind of operation. 409: a delete other records
# block, or an action the record's state refuses; 422: an action's input refused.
ALLOWED = {"read": [200], "item-get": [200], "update": [200], "delete": [204, 409],
           "item-post": [200, 201, 202, 204, 409, 422]}  # fmt: skip
NO_SUCH_RECORD = 10**9


class ApiWalk:
    """What the operations of one persona's walk share."""

    def __init__(self, ops: list[Operation]) -> None:
        self.reads = {op.resource: op for op in ops if op.kind == "read"}
        # (operation, rule) pairs already tried with write access. Every refusal
        # is tried on every record; an allowed write once per rule that grants
        # it ("own", "team", "admin"...), which keeps the walk quick.
        self.written: set[tuple[str, str]] = set()

    def template(self, w: Walker, op: Operation) -> dict[str, Any]:
        """A create payload copied from a record of the caller's own organisation
        that they can read (for a refused create, the payload must be valid, or
        the refusal would be a 422 about its content)."""
        assert w.member is not None
        org = w.member.organization_id
        read = self.reads.get(op.resource)
        rows = [o for o in records_of(op.model) if getattr(o, "organization_id", org) == org]
        readable = [o for o in rows if w.access(o) != "none"]
        if read is None or not readable:
            return text_change(op.body, CHANGED)
        response = w.call("GET", read.url(readable[0].pk), [200], about=describe(readable[0]),
                          where=str(read))  # fmt: skip
        found = response.json() if response.status_code == 200 else {}
        return {**payload_from(found, op.body), **text_change(op.body, CHANGED)}


def walk_list(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    if w.role_gated(op.model):
        w.call("GET", op.url(), [403], where=str(op))
        return
    visible = {o.pk for o in records_of(op.model) if w.access(o) != "none"}
    response = w.call("GET", op.url(), [200], where=str(op))
    if response.status_code != 200:
        return
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    got = {item["id"] for item in items}
    if got != visible:
        w.fail("GET", op.url(), f"ids {sorted(visible)}", f"ids {sorted(got)}")
    if isinstance(body, dict) and body.get("count") != len(visible):
        w.fail("GET", op.url(), f"count {len(visible)}", f"count {body.get('count')}")
    text = response.content.decode()
    for label, obj in labelled_records(w.world):
        if type(obj) is op.model and obj.pk in visible and label not in text:
            w.fail("GET", op.url(), f"lists “{label}”", "missing", describe(obj))


def walk_create(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    allowed = w.may_create(op.model)
    payload = PAYLOADS[str(op)]() if str(op) in PAYLOADS else ctx.template(w, op)
    w.call("POST", op.url(), [201, 422] if allowed else [403], data=payload,
           as_json=not op.multipart,
           watch=None if allowed else Watch(op.model), about=f"payload {sorted(payload)}",
           where=str(op))  # fmt: skip


def walk_items(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """Every record through an operation naming one: readers read, writers
    write, everybody else gets the refusal and changes nothing."""
    rows = records_of(op.model)
    if not rows:
        w.fail(op.method, op.path, "records to walk", "none in the world", op.model.__name__)
    reads = op.kind in ("read", "item-get")
    if op.kind == "update":
        data: Any = text_change(op.body, CHANGED)
    else:
        data = PAYLOADS[str(op)]() if str(op) in PAYLOADS else ({} if op.body else None)
    for obj in rows:
        access, url, about = w.access(obj), op.url(obj.pk), describe(obj)
        expected = {"write": ALLOWED[op.kind], "read": [200] if reads else [403],
                    "none": w.refusal(op.model)}[access]  # fmt: skip
        if reads:
            response = w.call("GET", url, expected, about=about, where=str(op))
            if op.kind == "read" and response.status_code == 200:
                if response.json().get("id") != obj.pk:
                    w.fail("GET", url, f"id {obj.pk}", f"id {response.json().get('id')}", about)
            continue
        if access == "write":
            rule = (str(op), rules.reason(w.member, obj))  # type: ignore[arg-type]
            if rule in ctx.written:
                continue
            ctx.written.add(rule)
        w.call(op.method, url, expected, data=data, as_json=True, about=about, where=str(op),
               watch=None if access == "write" else Watch(op.model, obj.pk))  # fmt: skip
    if w.role_gated(op.model):
        # Refused by role: the same answer for a record that does not exist.
        w.call(op.method, op.url(NO_SUCH_RECORD), [403], data=data, as_json=True,
               about="no such record", where=str(op))  # fmt: skip


def walk_me(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    assert w.member is not None
    response = w.call("GET", op.url(), [200], where=str(op))
    if response.status_code == 200 and w.member.name not in response.content.decode():
        w.fail("GET", op.url(), f"about {w.member.name}", response.content.decode()[:80])


WALKS: dict[str, Callable[[Walker, Operation, ApiWalk], None]] = {
    "list": walk_list, "create": walk_create, "read": walk_items, "update": walk_items,
    "delete": walk_items, "item-get": walk_items, "item-post": walk_items, "me": walk_me,
}  # fmt: skip


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI document, fetched once per test process (building it takes a
    second or so, and the API does not change while the tests run)."""
    response = Client().get(OPENAPI)
    assert response.status_code == 200, f"{OPENAPI} answers {response.status_code}"
    return response.json()  # type: ignore[no-any-return]


def walk(world: World, persona: str | None, auth: str, only: set[str] | None = None,
         known: list[checks.KnownBug] = API_BUGS) -> checks.Report:  # fmt: skip
    """Walk every operation (or `only` those named, "GET /api/v1/deals/{id}")."""
    ops, _problems = operations(document())  # placing each one is test_walk_coverage's job
    if only is not None:
        ops = [op for op in ops if str(op) in only]
    tokens = api_tokens(world)
    report = checks.Report(f"API as {persona or 'anonymous'} ({auth})", tuple(known))
    if persona is None:
        client = Client()
    elif auth == "token":
        client = Client(headers={"Authorization": f"Bearer {tokens[persona]}"})
    else:
        client = world.client(persona)
    w = Walker(world, persona, report, client=client)
    ctx = ApiWalk(ops)
    for op in ops:
        if persona is not None:
            WALKS[op.kind](w, op, ctx)
            continue
        pks = [o.pk for o in records_of(op.model)] if "{" in op.path else [None]
        for pk in pks:
            w.call(op.method, op.url(pk), [401], data={}, as_json=op.method != "GET",
                   where=str(op))  # fmt: skip
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_with_a_token_as(persona: str, world: World) -> None:
    walk(world, persona, "token").assert_clean()


# The session only changes how the caller is recognised; after that the same
# handlers run. A manager and a persona of the other organisation cover it.
@pytest.mark.parametrize("persona", ["mark", "olga"])
def test_every_api_operation_with_the_session_as(persona: str, world: World) -> None:
    walk(world, persona, "session").assert_clean()


def test_every_api_operation_refuses_anonymous_callers(world: World) -> None:
    walk(world, None, "none").assert_clean()


@pytest.mark.parametrize("bug", [
    pytest.param(bug, id=f"{bug.where}-{bug.got}",
                 marks=pytest.mark.xfail(strict=True, reason=bug.reason))
    for bug in API_BUGS
])  # fmt: skip
def test_known_api_bug(bug: checks.KnownBug, world: World) -> None:
    for persona in bug.personas:
        report = walk(world, persona, "token", only={bug.where}, known=[])
        assert not [o for o in report.outcomes if bug.matches(o)], report.table()


def test_api_documentation_page_keeps_the_strict_policy(world: World) -> None:
    """The one HTML page under /api/ (the walk skips that prefix for pages)."""
    response = world.client("rita").get(PREFIX + "docs")
    assert response.status_code == 200
    assert checks.csp_problems(response) == []


def test_tokens_are_their_holders_alone(world: World) -> None:
    """A token authenticates its holder only: the walk relies on it."""
    tokens = api_tokens(world)
    for name, raw in tokens.items():
        response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
        assert response.status_code == 200 and world.members[name].name in response.content.decode()
    assert ApiToken.objects.count() == len(PERSONAS)
