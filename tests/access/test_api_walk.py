"""Every operation of the REST API, as every persona of both organisations
(with a bearer token, and with the browser session) and anonymously.

What each kind of operation must answer is in `api_walks`; every answer is
also checked for records the caller may not see. Without credentials every
operation answers 401."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.test import Client

from rumbo.tenancy.models import ApiToken
from tests.access import checks
from tests.access.api import OPENAPI, PREFIX, REGISTRIES, operations
from tests.access.api_walks import WALKS, ApiWalk
from tests.access.known import API_BUGS
from tests.access.walker import Walker
from tests.access.world import PERSONAS, prepare, records_of
from tests.personas import World

pytestmark = pytest.mark.django_db


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
    tokens = prepare(world)
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
        if "{" not in op.path:
            pks: list[Any] = [None]
        elif op.resource in REGISTRIES:
            pks = sorted(REGISTRIES[op.resource]())[:1]
        else:
            pks = [o.pk for o in records_of(op.model)]
        for pk in pks:
            w.call(op.method, op.url(pk), [401], data={}, as_json=op.method != "GET",
                   where=str(op))  # fmt: skip
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_with_a_token_as(persona: str, world: World) -> None:
    walk(world, persona, "token").assert_clean()


# The session only changes how the caller is recognised; after that the same
# handlers run. A manager and a persona of the other organisation, reading
# through every operation that reads, cover it.
@pytest.mark.parametrize("persona", ["mark", "olga"])
def test_every_api_read_with_the_session_as(persona: str, world: World) -> None:
    reads = {str(op) for op in operations(document())[0] if op.method == "GET"}
    walk(world, persona, "session", only=reads).assert_clean()


def test_every_api_operation_refuses_anonymous_callers(world: World) -> None:
    walk(world, None, "none").assert_clean()


@pytest.mark.parametrize("bug", [
    pytest.param(bug, id=f"{bug.wheres[0]}-{bug.gots[0]}",
                 marks=pytest.mark.xfail(strict=True, reason=bug.reason))
    for bug in API_BUGS
])  # fmt: skip
def test_known_api_bug(bug: checks.KnownBug, world: World) -> None:
    for persona in bug.personas:
        report = walk(world, persona, "token", only=set(bug.wheres), known=[])
        assert not [o for o in report.outcomes if bug.matches(o)], report.table()


def test_api_documentation_page_keeps_the_strict_policy(world: World) -> None:
    """The one HTML page under /api/ (the walk skips that prefix for pages)."""
    response = world.client("rita").get(PREFIX + "docs")
    assert response.status_code == 200
    assert checks.csp_problems(response) == []


def test_tokens_are_their_holders_alone(world: World) -> None:
    """A token authenticates its holder only: the walk relies on it."""
    tokens = prepare(world)
    for name, raw in tokens.items():
        response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
        assert response.status_code == 200 and world.members[name].name in response.content.decode()
    assert ApiToken.objects.count() == len(PERSONAS)
