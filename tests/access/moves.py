"""Write cases of the access walk: each persona tries to move records into and
out of scopes they do not hold, through every API change operation and every
edit form, and nothing moves (issue 14, "authorise before applying").

A *move* changes one field that decides whose a record is or what it hangs
from: its owner (`owner`, `rep`, `member`), its team, the customer or deal it
belongs to, or, for goals, both owner fields emptied (an organisation goal).
Expectations come from `rules`, on the record as stored *and* as it would
become:

- a record the persona may not see: 404, nothing changes;
- one they may see but not write: 403, nothing changes;
- one they may write, moved where they could not write it, or onto a record
  they may not see: refused (403, or 422 / a form error for the choice), and
  nothing changes (the row and the audit log, re-read from the database);
- any other move is allowed (saved, or refused for its content).

Writable records are tried with every forbidden target; a record the
persona may not write with one target they do hold per field ("pull it in"),
which keeps the walk to a few thousand calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models

from rumbo.goals.models import Goal
from rumbo.sales.models import Customer, Deal
from rumbo.tenancy.models import Member, Team
from tests.access import rules
from tests.access.api import Operation
from tests.access.formdata import form_submission
from tests.access.pages import Page
from tests.access.walker import Walker, Watch, describe
from tests.access.world import records_of

# Related models whose choice moves a record between scopes.
SCOPE_TARGETS: tuple[type[models.Model], ...] = (Member, Team, Customer, Deal)
# The organisation level: a goal with neither a rep nor a team.
ORG_LEVEL = "organisation level"


def scope_fields(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in SCOPE_TARGETS]  # fmt: skip


def moved(obj: models.Model, changes: dict[str, Any]) -> models.Model:
    """A fresh copy of `obj` (re-read) with `changes` (attnames) applied in memory."""
    copy = type(obj)._base_manager.get(pk=obj.pk)
    for attname, value in changes.items():
        setattr(copy, attname, value)
    return copy


def _below(target: Any, obj: models.Model) -> bool:
    """Whether `target` is the team `obj` or one below it."""
    while isinstance(target, Team) and isinstance(obj, Team):
        if target.pk == obj.pk:
            return True
        target = target.parent
    return False


def may_move(w: Walker, obj: models.Model, changes: dict[str, Any], target: Any) -> bool:
    """Whether the rules let the persona make this move: they write the record
    as it is and as it would be, and may see what it would hang from."""
    assert w.member is not None
    if w.access(obj) != "write":
        return False
    if target is not None and not rules.may_read(w.member, target):
        return False
    return rules.access(w.member, moved(obj, changes)) == "write"


Move = tuple[str, dict[str, Any], Any]


def moves(w: Walker, obj: models.Model, names: set[str]) -> Iterator[Move]:
    """(label, changes by attname, target record) for the moves to try on `obj`,
    limited to the fields in `names` (attnames)."""
    writable = w.access(obj) == "write"
    for field in scope_fields(type(obj)):
        if field.attname not in names:
            continue
        tried_pull = False
        for target in records_of(field.related_model):
            if target.pk == getattr(obj, field.attname) or _below(target, obj):
                continue  # no move, or a team under itself (refused as a cycle)
            changes = {field.attname: target.pk}
            if isinstance(obj, Goal):
                # A goal has one owner: moving it to a team empties its rep, and so on.
                other = "team_id" if field.attname == "member_id" else "member_id"
                changes[other] = None
            allowed = may_move(w, obj, changes, target)
            if writable and not allowed:
                yield f"{field.name} → {describe(target)}", changes, target
            elif not writable and not tried_pull and rules.may_read(w.member, target):  # type: ignore[arg-type]
                tried_pull = True
                yield f"{field.name} → {describe(target)} (pull in)", changes, target
    if isinstance(obj, Goal) and {"member_id", "team_id"} <= names:
        changes = {"member_id": None, "team_id": None}
        if obj.member_id or obj.team_id:
            if not may_move(w, obj, changes, None):
                yield ORG_LEVEL, changes, None


def expected(w: Walker, obj: models.Model, form: bool = False) -> list[int]:
    """What a forbidden move answers, by what the persona may do with the record."""
    access = w.access(obj)
    if access == "none":
        return w.refusal(type(obj))
    if access == "read":
        return [403]
    # Writable, moved out of reach: refused by the service (403), or as a field
    # error (422; a form shows it on the page: 400).
    return [400, 403] if form else [403, 422]


def walk_api_moves(w: Walker, op: Operation) -> None:
    """PATCH /<resource>/{id}: every record, every move."""
    names = set((op.body or {}).get("properties", {}))
    for obj in records_of(op.model):
        for label, changes, _target in moves(w, obj, names):
            w.call(op.method, op.url(obj.pk), expected(w, obj), data=changes, as_json=True,
                   about=f"{describe(obj)}: {label}", where=f"{op} (move)",
                   watch=Watch(op.model, obj.pk))  # fmt: skip


def walk_form_moves(w: Walker, page: Page) -> None:
    """An edit form: opened as the browser would, submitted with one move. A
    record the persona may not write is refused before the form is read."""
    for obj in records_of(page.model):
        url = page.url(obj.pk)
        data: dict[str, Any] | None = None
        if w.access(obj) == "write":
            data = form_submission(w.call("GET", url, [200], where=f"{page.name} (move)",
                                          about=describe(obj)), url)  # fmt: skip
            if data is None:
                w.fail("GET", url, "an edit form", "none", describe(obj))
                continue
        names = {f.attname for f in scope_fields(page.model)
                 if data is None or f.name in data}  # fmt: skip
        for label, changes, _target in moves(w, obj, names):
            posted = dict(data or {})
            for attname, value in changes.items():
                posted[attname.removesuffix("_id")] = "" if value is None else str(value)
            w.call("POST", url, expected(w, obj, form=True), data=posted,
                   about=f"{describe(obj)}: {label}", where=f"{page.name} (move)",
                   watch=Watch(page.model, obj.pk))  # fmt: skip
