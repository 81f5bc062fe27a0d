"""Every page, as every persona of both organisations and as an anonymous visitor.

For a record page the expectation comes from `rules`: a record the persona may
not see answers 404 (never 403, never its data) to GET and POST alike and stays
unchanged; one they may see but not write (a catalogue for a rep, a member for a
manager) answers 403 to its edit and delete pages; one they may write opens and
saves. Lists show exactly the visible rows. Anonymous visitors are sent to log in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.html import escape

from rumbo.tenancy.models import Organization
from rumbo.web.lookup import LOOKUPS
from tests.access import checks, rules
from tests.access.formdata import form_submission
from tests.access.known import PAGE_BUGS
from tests.access.pages import Page, walkable_pages
from tests.access.walker import LOGIN, Walker, Watch, describe
from tests.access.world import PERSONAS, api_tokens, records_of
from tests.personas import World

pytestmark = pytest.mark.django_db

BY_ACCESS = {"write": [200], "read": [403], "none": [404]}
POST_BY_ACCESS = {"write": [302], "read": [403], "none": [404]}
# An allowed delete redirects, or answers 409 when other records depend on the row.
DELETE_BY_ACCESS = {**POST_BY_ACCESS, "write": [302, 409]}
# A kind of page → does it take POST (so anonymous POSTs are tried too)?
WRITES = {"create", "edit", "delete", "action", "admin", "switch"}


def record_routes(pages: list[Page]) -> list[checks.RecordRoute]:
    return [checks.RecordRoute(checks.route_regex(p.route), p.model)
            for p in pages if p.has_pk and p.model is not None]  # fmt: skip


def walk_list(w: Walker, page: Page, ctx: PageWalk) -> None:
    visible = [obj for obj in records_of(page.model) if w.access(obj) != "none"]
    for headers in (None, {"HX-Request": "true"}):
        response = w.call("GET", page.url(), [200], headers=headers, where=page.name,
                          about="htmx partial" if headers else "")  # fmt: skip
        if response.status_code != 200:
            continue
        shown = {pk for model, pk in checks.linked_records(checks.page_urls(response), w.routes)
                 if model is page.model}  # fmt: skip
        body = response.content.decode()
        named = any(c.link and c.path == "name" for c in page.resource.columns)
        for obj in visible:
            if obj.pk not in shown or (named and escape(obj.name) not in body):
                w.fail("GET", page.url(), "listed", "missing", describe(obj))


class PageWalk:
    """What the per-kind walks of one persona share."""

    def __init__(self) -> None:
        # (page, rule) pairs already opened and saved with write access. Every
        # refusal is tried on every record; an allowed write once per rule that
        # grants it ("own", "team", "admin"...), which keeps the walk quick.
        self.opened: set[tuple[str, str]] = set()


def walk_create(w: Walker, page: Page, ctx: PageWalk) -> None:
    if not w.may_create(page.model):
        w.call("GET", page.url(), [403], where=page.name)
        w.call("POST", page.url(), [403], data={}, watch=Watch(page.model), where=page.name)
        return
    response = w.call("GET", page.url(), [200], where=page.name)
    data = form_submission(response, page.url())
    if data is not None:
        # The blank form with one field filled: saved, or refused for its content.
        w.call("POST", page.url(), [302, 400], data=data, where=page.name)


def walk_records(w: Walker, page: Page, ctx: PageWalk) -> None:
    rows = records_of(page.model)
    if not rows:
        w.fail("GET", page.route, "records to walk", "none in the world", page.model.__name__)
    for obj in rows:
        access, url, about = w.access(obj), page.url(obj.pk), describe(obj)
        if page.kind == "detail":
            w.call("GET", url, [200] if access != "none" else [404], about=about,
                   where=page.name)  # fmt: skip
            continue
        if access != "write":
            # Refused before the form is read, so an empty POST is as good as a full one.
            if page.kind != "action":
                w.call("GET", url, BY_ACCESS[access], about=about, where=page.name)
            w.call("POST", url, POST_BY_ACCESS[access], data={}, about=about,
                   where=page.name, watch=Watch(page.model, obj.pk))  # fmt: skip
            continue
        rule = (page.name, rules.reason(w.member, obj))  # type: ignore[arg-type]
        if rule in ctx.opened:
            continue
        ctx.opened.add(rule)
        data: dict[str, object] | None = {}
        if page.kind == "action":
            # POST-only: refused for the method before the record is looked at.
            w.call("GET", url, [405], about=about, where=page.name)
        else:
            response = w.call("GET", url, [200], about=about, where=page.name)
            if page.kind == "edit":
                data = form_submission(response, url)
        if data is not None:
            expected = DELETE_BY_ACCESS if page.kind == "delete" else POST_BY_ACCESS
            w.call("POST", url, expected[access], data=data, about=about, where=page.name)


def walk_admin(w: Walker, page: Page, ctx: PageWalk) -> None:
    assert w.member is not None
    admin = w.member.role == "admin"
    w.call("GET", page.url(), [200] if admin else [403], where=page.name)
    if not admin:
        watch = Watch(Organization, w.member.organization_id)
        w.call("POST", page.url(), [403], data={"name": "Taken over"}, watch=watch,
               where=page.name)  # fmt: skip


def walk_switch(w: Walker, page: Page, ctx: PageWalk) -> None:
    assert w.member is not None
    other = w.world.globex if w.member.organization_id == w.world.acme.pk else w.world.acme
    w.call("GET", page.url(), [405], where=page.name)
    w.call("POST", page.url(), [403], data={"organization": str(other.pk)},
           about=f"into {other.name}", where=page.name)  # fmt: skip


def walk_lookup(w: Walker, page: Page, ctx: PageWalk) -> None:
    """The type-to-search JSON, for every registered kind: the matches are exactly
    the visible rows, and naming an unseen record (`?id=`, or a narrowing
    parameter such as `?customer=`) answers 404."""
    w.call("GET", page.url(kind="no-such-kind"), [404], where=page.name)
    for kind, lookup in sorted(LOOKUPS.items()):
        url = page.url(kind=kind)
        rows = records_of(lookup.model)
        response = w.call("GET", url, [200], about=kind, where=page.name)
        if response.status_code == 200:
            found = {row["id"] for row in response.json()["results"]}
            for obj in rows:
                if (obj.pk in found) != (w.access(obj) != "none"):
                    w.fail("GET", url, "exactly the visible rows", f"{obj.pk in found=}",
                           describe(obj))  # fmt: skip
        queries = [("id", obj) for obj in rows] + [
            (param, obj) for param, (model, _path) in lookup.narrow.items()
            for obj in records_of(model)
        ]  # fmt: skip
        for param, obj in queries:
            w.call("GET", f"{url}?{param}={obj.pk}", [200] if w.access(obj) != "none" else [404],
                   about=describe(obj), where=page.name)  # fmt: skip


def walk_page(w: Walker, page: Page, ctx: PageWalk) -> None:
    w.call("GET", page.url(), [200], where=page.name)


def walk_public(w: Walker, page: Page, ctx: PageWalk) -> None:
    # An unknown invitation token is a 404 page; the others open for anyone.
    expected = [404] if page.name == "invitation_accept" else [200]
    w.call("GET", page.url(), expected, where=page.name)


WALKS: dict[str, Callable[[Walker, Page, PageWalk], None]] = {
    "list": walk_list, "create": walk_create, "detail": walk_records, "edit": walk_records,
    "delete": walk_records, "action": walk_records, "admin": walk_admin,
    "switch": walk_switch, "lookup": walk_lookup, "page": walk_page, "public": walk_public,
}  # fmt: skip


def walk(world: World, persona: str | None, only: set[str] | None = None,
         known: list[checks.KnownBug] = PAGE_BUGS) -> checks.Report:  # fmt: skip
    """Walk every page (or `only` those named) as `persona` (None: anonymous)."""
    pages, _problems = walkable_pages()  # placing every page is test_walk_coverage's job
    if only is not None:
        pages = [p for p in pages if p.name in only]
    api_tokens(world)  # rows for the token pages
    report = checks.Report(f"pages as {persona or 'anonymous'}", tuple(known))
    w = Walker(world, persona, report, routes=record_routes(pages))
    ctx = PageWalk()
    for page in pages:
        if persona is not None or page.kind == "public":
            WALKS[page.kind](w, page, ctx)
            continue
        # Anonymous visitors are turned away before any record is looked at:
        # one record per page shows it.
        pks = [records_of(page.model)[0].pk] if page.has_pk else [None]
        kinds = sorted(LOOKUPS) if page.kind == "lookup" else [""]
        for pk, kind in [(pk, kind) for pk in pks for kind in kinds]:
            w.call("GET", page.url(pk, kind=kind), LOGIN, where=page.name)
            if page.kind in WRITES:
                w.call("POST", page.url(pk), LOGIN, data={}, where=page.name,
                       watch=Watch(page.model, pk) if page.model else None)  # fmt: skip
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_as(persona: str, world: World) -> None:
    walk(world, persona).assert_clean()


def test_every_page_sends_anonymous_visitors_to_log_in(world: World) -> None:
    walk(world, None).assert_clean()


@pytest.mark.parametrize("bug", [
    pytest.param(bug, id=f"{bug.where}-{bug.got}",
                 marks=pytest.mark.xfail(strict=True, reason=bug.reason))
    for bug in PAGE_BUGS
])  # fmt: skip
def test_known_page_bug(bug: checks.KnownBug, world: World) -> None:
    for persona in bug.personas:
        report = walk(world, persona, only={bug.where}, known=[])
        assert not [o for o in report.outcomes if bug.matches(o)], report.table()
