"""Every page, as every persona of both organisations and as an anonymous visitor.

What each kind of page must answer is in `page_walks`; every answer is also
checked for records the persona may not see (named or linked) and, for HTML,
for a strict Content-Security-Policy. Anonymous visitors are sent to log in
(one record per page shows it: they are turned away before any is looked at)."""

from __future__ import annotations

import pytest

from tests.access import checks
from tests.access.known import PAGE_BUGS
from tests.access.page_walks import WALKS, PageWalk
from tests.access.pages import REGISTRIES, Page, walkable_pages
from tests.access.walker import LOGIN, Walker, Watch
from tests.access.world import PERSONAS, prepare, records_of
from tests.personas import World

pytestmark = pytest.mark.django_db

# Kinds of page that take POST (so anonymous POSTs are tried too).
WRITES = {"create", "edit", "delete", "record", "admin", "admin-action", "own-action", "switch"}


def record_routes(pages: list[Page]) -> list[checks.RecordRoute]:
    return [checks.RecordRoute(checks.route_regex(p.route), p.model)
            for p in pages if p.has_pk and p.model is not None]  # fmt: skip


def walk(world: World, persona: str | None, only: set[str] | None = None,
         known: list[checks.KnownBug] = PAGE_BUGS) -> checks.Report:  # fmt: skip
    """Walk every page (or `only` those named) as `persona` (None: anonymous)."""
    pages, _problems = walkable_pages()  # placing every page is test_walk_coverage's job
    if only is not None:
        pages = [p for p in pages if p.name in only]
    prepare(world)  # tokens, import jobs, metric rollups
    report = checks.Report(f"pages as {persona or 'anonymous'}", tuple(known))
    w = Walker(world, persona, report, routes=record_routes(pages))
    ctx = PageWalk()
    for page in pages:
        if persona is not None or page.kind == "public":
            WALKS[page.kind](w, page, ctx)
            continue
        pk = records_of(page.model)[0].pk if page.has_pk else None
        kind = sorted(REGISTRIES[page.name]())[0] if page.name in REGISTRIES else ""
        w.call("GET", page.url(pk, kind=kind), LOGIN, where=page.name)
        if page.kind in WRITES:
            w.call("POST", page.url(pk, kind=kind), LOGIN, data={}, where=page.name,
                   watch=Watch(page.model, pk) if page.model else None)  # fmt: skip
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_as(persona: str, world: World) -> None:
    walk(world, persona).assert_clean()


def test_every_page_sends_anonymous_visitors_to_log_in(world: World) -> None:
    walk(world, None).assert_clean()


@pytest.mark.parametrize("bug", [
    pytest.param(bug, id=f"{bug.wheres[0]}-{bug.gots[0]}",
                 marks=pytest.mark.xfail(strict=True, reason=bug.reason))
    for bug in PAGE_BUGS
])  # fmt: skip
def test_known_page_bug(bug: checks.KnownBug, world: World) -> None:
    for persona in bug.personas:
        report = walk(world, persona, only=set(bug.wheres), known=[])
        assert not [o for o in report.outcomes if bug.matches(o)], report.table()
