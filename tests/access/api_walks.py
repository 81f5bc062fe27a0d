"""How each kind of API operation is walked by one persona (see `api.place`).

Expectations come from `rules`, as for the pages: a record the caller may not
see is a 404 (or the role's 403, see `rules.refusal`) to GET, PATCH, DELETE and
actions alike and stays unchanged; one they may see but not write is a 403 to
them; a catalogue, member or team create by a non-admin is a 403 that creates
nothing; lists hold exactly the visible rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rumbo.sales.models import Deal
from rumbo.tenancy.models import Member, Team
from tests.access import rules
from tests.access.api import PAYLOADS, REGISTRIES, Operation, payload_from, text_change
from tests.access.expected import RANKINGS
from tests.access.walker import Walker, Watch, describe
from tests.access.world import labelled_records, records_of

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


def walk_own_action(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """An action on the caller's own records (POST /<resource>/<action>): allowed
    to everyone, and no record the caller cannot see changes."""
    others = tuple(o.pk for o in records_of(op.model) if w.access(o) == "none")
    data = PAYLOADS[str(op)]() if str(op) in PAYLOADS else ({} if op.body else None)
    w.call("POST", op.url(), [200, 201, 204], data=data, as_json=True, where=str(op),
           watch=Watch(op.model, pks=others) if others else None)  # fmt: skip


def walk_me(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    assert w.member is not None
    response = w.call("GET", op.url(), [200], where=str(op))
    if response.status_code == 200 and w.member.name not in response.content.decode():
        w.fail("GET", op.url(), f"about {w.member.name}", response.content.decode()[:80])


def walk_registry_list(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    w.call("GET", op.url(), [200], where=str(op))


def walk_metric(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """A metric over a scope, grouped: every metric by rep and by team lists only
    the people and teams the caller sees; a scope naming a team or a rep they do
    not see answers 404; and a count over the whole organisation counts only the
    records they see."""
    where, url = str(op), op.url
    keys = sorted(REGISTRIES[op.resource]())
    w.call("GET", url("no-such-metric"), [404], where=where)
    members, teams = records_of(Member), records_of(Team)
    # Additive metrics are all read from the same rollups (one code path): the
    # first stands for them; each computed one has its own query.
    metrics = REGISTRIES[op.resource]()
    additive = [k for k in keys if metrics[k].additive]
    for key in additive[:1] + [k for k in keys if not metrics[k].additive]:
        for by, model in (("rep", Member), ("team", Team)):
            response = w.call("GET", f"{url(key)}?by={by}", [200], about=key, where=where)
            if response.status_code != 200:
                continue
            for row in response.json()["rows"]:
                obj = w.lookup(model, row["key"]) if row["key"] is not None else None
                if obj is not None and w.access(obj) == "none":
                    w.fail("GET", f"{url(key)}?by={by}", "visible groups only",
                           f"a row for {describe(obj)}", key)  # fmt: skip
    for key in keys[:1]:
        for kind, rows in (("rep", members), ("team", teams)):
            for obj in rows:
                expected = [200] if w.access(obj) != "none" else [404]
                w.call("GET", f"{url(key)}?scope={kind}:{obj.pk}", expected,
                       about=describe(obj), where=where)  # fmt: skip
    if "deals_won" in keys:
        start = timezone.localdate() - timedelta(days=89)
        won = [d for d in records_of(Deal) if d.outcome == "won" and d.closed_on
               and d.closed_on >= start and w.access(d) != "none"]  # fmt: skip
        response = w.call("GET", url("deals_won"), [200], where=where)
        if response.status_code == 200:
            value = response.json()["rows"][0]["value"]
            if value is None or int(float(value)) != len(won):
                w.fail("GET", url("deals_won"), f"{len(won)} won", f"{value} won",
                       "counts records the caller cannot see")  # fmt: skip


def walk_settings_read(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    w.call("GET", op.url(), [200], where=str(op))


def walk_settings_write(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """Admins replace the settings (with what they read); everybody else gets a
    403 that changes nothing."""
    assert w.member is not None
    response = w.call("GET", op.url(), [200], where=str(op))
    current = response.json() if response.status_code == 200 else {}
    admin = w.member.role == "admin"
    w.call(op.method, op.url(), [200] if admin else [403], data=current, as_json=True,
           watch=None if admin else Watch(op.model), where=str(op))  # fmt: skip


def walk_search(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """Searching for the name of every searchable record of both organisations
    answers only records the caller may see. The query is the name less its
    first letter ("ina customer"): the answer repeats the query, and the whole
    name of a record the caller may not see would read as a leak."""
    from urllib.parse import quote

    from rumbo.search.registry import KINDS

    queries = {str(obj)[1:60] for kind in KINDS.values() for obj in records_of(kind.model)}
    for query in sorted(q for q in queries if len(q.strip()) >= 2):
        url = f"{op.url()}?q={quote(query)}&limit=20"
        response = w.call("GET", url, [200], where=str(op))
        if response.status_code == 200:
            for group in response.json()["groups"]:
                for row in group["results"]:
                    found = w.lookup(KINDS[group["kind"]].model, row["id"])
                    if found is None or w.access(found) == "none":
                        w.fail("GET", url, "visible records only", f"{group['kind']} {row['id']}")


def walk_report(w: Walker, op: Operation, ctx: ApiWalk) -> None:
    """Scores and leaderboards by rep and by team name only the people and teams
    the caller sees (a leaderboard: those it may rank them among, expected.RANKINGS);
    a scope naming a team or rep they do not see answers 404."""
    where = str(op)
    ranking = op.url() in RANKINGS
    for by, model in (("rep", Member), ("team", Team)):
        url = f"{op.url()}?by={by}&period=year"
        response = w.call("GET", url, [200], where=where)
        if response.status_code != 200:
            continue
        for row in response.json()["rows"]:
            obj = w.lookup(model, row["key"]) if row["key"] is not None else None
            if obj is None or (ranking and rules.ranked(w.member, obj)):
                continue
            if w.access(obj) == "none":
                w.fail("GET", url, "visible rows only", f"a row for {describe(obj)}")
    for kind, rows in (("rep", records_of(Member)), ("team", records_of(Team))):
        for obj in rows:
            w.call("GET", f"{op.url()}?scope={kind}:{obj.pk}",
                   [200] if w.access(obj) != "none" else [404], about=describe(obj),
                   where=where)  # fmt: skip


WALKS: dict[str, Callable[[Walker, Operation, ApiWalk], None]] = {
    "list": walk_list, "create": walk_create, "read": walk_items, "update": walk_items,
    "delete": walk_items, "item-get": walk_items, "item-post": walk_items, "me": walk_me,
    "registry-list": walk_registry_list, "metric": walk_metric, "own-action": walk_own_action,
    "settings-read": walk_settings_read, "settings-write": walk_settings_write,
    "report": walk_report, "search": walk_search,
}  # fmt: skip
