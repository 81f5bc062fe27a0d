"""How each kind of page is walked by one persona (see `pages.classify`).

Record pages: a record the persona may not see answers 404 (or the role's 403,
see `rules.refusal`) to GET and POST alike and stays unchanged; one they may
see but not write answers 403 to its edit and delete pages and to any POST;
one they may write opens and saves. Lists show exactly the visible rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.utils.html import escape

from rumbo.tenancy.models import Organization
from tests.access import checks, rules
from tests.access.formdata import form_submission
from tests.access.pages import RECORD_POSTS, REGISTRIES, Page
from tests.access.walker import Walker, Watch, describe
from tests.access.world import labelled_records, records_of

# What an allowed POST answers, by kind of page (409: a delete other records block).
POST_OK = {"edit": [302], "delete": [302, 409], "record": [302]}
NO_SUCH_RECORD = 10**9


class PageWalk:
    """What the per-kind walks of one persona share."""

    def __init__(self) -> None:
        # (page, rule) pairs already opened and saved with write access. Every
        # refusal is tried on every record; an allowed write once per rule that
        # grants it ("own", "team", "admin"...), which keeps the walk quick.
        self.opened: set[tuple[str, str]] = set()


def walk_list(w: Walker, page: Page, ctx: PageWalk) -> None:
    if w.role_gated(page.model):
        # Admin-only records: refused by role, the list included.
        w.call("GET", page.url(), [403], where=page.name)
        return
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
    """Every record on a page naming one (detail, edit, delete, record pages)."""
    rows = records_of(page.model)
    if not rows:
        w.fail("GET", page.route, "records to walk", "none in the world", page.model.__name__)
    # Edit and delete forms open only for those who may write; other pages for readers.
    get_needs_write = page.kind in ("edit", "delete")
    for obj in rows:
        access, url, about = w.access(obj), page.url(obj.pk), describe(obj)
        refused = {"read": [403], "none": w.refusal(page.model)}
        opens = access == "write" or (access == "read" and not get_needs_write)
        if "POST" not in page.methods:
            w.call("GET", url, [200] if opens else refused[access], about=about, where=page.name)
            continue
        if access != "write":
            # Refused before the form is read, so an empty POST is as good as a full one.
            if "GET" in page.methods:
                w.call("GET", url, [200] if opens else refused[access], about=about,
                       where=page.name)  # fmt: skip
            w.call("POST", url, refused[access], data={}, about=about, where=page.name,
                   watch=Watch(page.model, obj.pk))  # fmt: skip
            continue
        rule = (page.name, rules.reason(w.member, obj))  # type: ignore[arg-type]
        if rule in ctx.opened:
            continue
        ctx.opened.add(rule)
        data: dict[str, object] | None = {}
        if "GET" not in page.methods:
            # POST-only: refused for the method before the record is looked at.
            w.call("GET", url, [405], about=about, where=page.name)
        else:
            response = w.call("GET", url, [200], about=about, where=page.name)
            if page.kind == "edit":
                data = form_submission(response, url)
        answers = POST_OK.get(page.kind, [302])
        if page.name in RECORD_POSTS:
            data, answers = RECORD_POSTS[page.name]
        if data is not None:
            w.call("POST", url, answers, data=data, about=about, where=page.name)
    if w.role_gated(page.model):
        # Refused by role: the same answer for a record that does not exist.
        for method in page.methods:
            w.call(method, page.url(NO_SUCH_RECORD), [403], about="no such record",
                   where=page.name)  # fmt: skip


def walk_admin(w: Walker, page: Page, ctx: PageWalk) -> None:
    assert w.member is not None
    admin = w.member.role == "admin"
    w.call("GET", page.url(), [200] if admin else [403], where=page.name)
    if not admin:
        watch = Watch(Organization, w.member.organization_id)
        w.call("POST", page.url(), [403], data={"name": "Taken over"}, watch=watch,
               where=page.name)  # fmt: skip


def walk_admin_action(w: Walker, page: Page, ctx: PageWalk) -> None:
    assert w.member is not None
    w.call("GET", page.url(), [405], where=page.name)
    if w.member.role != "admin":
        w.call("POST", page.url(), [403], data={}, watch=Watch(page.model), where=page.name)
    else:
        # An empty form: refused for its content (400), or for naming no record (404).
        w.call("POST", page.url(), [302, 400, 404], data={}, where=page.name)


def walk_own_action(w: Walker, page: Page, ctx: PageWalk) -> None:
    others = tuple(o.pk for o in records_of(page.model) if w.access(o) == "none")
    w.call("GET", page.url(), [405], where=page.name)
    w.call("POST", page.url(), [302], data={}, where=page.name,
           watch=Watch(page.model, pks=others) if others else None)  # fmt: skip


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
    for kind, lookup in sorted(REGISTRIES[page.name]().items()):
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


def walk_export(w: Walker, page: Page, ctx: PageWalk) -> None:
    """Every list's CSV export: exactly the visible rows (the leak check on every
    answer already keeps the others' names out)."""
    w.call("GET", page.url(kind="no-such-kind"), [404], where=page.name)
    labels = labelled_records(w.world)
    for kind, spec in sorted(REGISTRIES[page.name]().items()):
        url = page.url(kind=kind)
        response = w.call("GET", url, [200], about=kind, where=page.name)
        if response.status_code != 200:
            continue
        text = response.content.decode("utf-8-sig")
        rows = [r for r in csv.reader(io.StringIO(text)) if any(r)][1:]
        visible = [o for o in records_of(spec.model) if w.access(o) != "none"]
        if len(rows) != len(visible):
            w.fail("GET", url, f"{len(visible)} rows", f"{len(rows)} rows", kind)
        for label, obj in labels:
            if type(obj) is spec.model and w.access(obj) != "none" and label not in text:
                w.fail("GET", url, f"lists “{label}”", "missing", describe(obj))


def walk_page(w: Walker, page: Page, ctx: PageWalk) -> None:
    expected = [200]
    if page.name == "dashboards:rep":
        # A seller's own page: someone who does not sell has none and is sent home.
        from django.utils import timezone

        from rumbo.dashboards.attention import sells

        member = w.world.members[w.persona]
        expected = [200] if sells(member, timezone.localdate()) else [302]
    w.call("GET", page.url(), expected, where=page.name)


def walk_public(w: Walker, page: Page, ctx: PageWalk) -> None:
    # An unknown invitation or sign-up token is a 404 page; the others open for
    # anyone (an unknown reset token shows Django's "link not valid" page).
    tokened = ("invitation_accept", "signup_confirm", "care:survey_answer",
               "care:survey_unsubscribe")  # fmt: skip
    expected = [404] if page.name in (*tokened, "care:calendar_feed") else [200]
    w.call("GET", page.url(), expected, where=page.name)


WALKS: dict[str, Callable[[Walker, Page, PageWalk], None]] = {
    "list": walk_list, "create": walk_create, "detail": walk_records, "edit": walk_records,
    "delete": walk_records, "record": walk_records, "admin": walk_admin,
    "admin-action": walk_admin_action, "own-action": walk_own_action, "switch": walk_switch,
    "lookup": walk_lookup,
    "export": walk_export, "page": walk_page, "public": walk_public,
}  # fmt: skip
