"""Versioned records: every editable record carries a `version` that moves on
with each change, so an edit based on an older copy is refused instead of
silently overwriting what someone else saved in between (ADR 0010).

The check is a compare-and-set inside the write's transaction: the stored row
is locked (`select_for_update`; on SQLite the immediate transaction already
holds the write lock) and its version compared with the one the editor read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What the API says of a record's `version` in every answer that shows it.
VERSION_DOC = (
    "Moves on with every change: send it back with a change (PATCH) to have it "
    "refused with 409 if someone else saved in between."
)


class Versioned(models.Model):
    """Mixin of every record people edit (pages, API, imports)."""

    # db_default too: raw bulk inserts (the demo's COPY, imports) start at 1 as well.
    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, db_default=1, editable=False,
        help_text=gettext_lazy("Moves on with every change; send it back to change the record."),
    )  # fmt: skip

    class Meta:
        abstract = True


class Conflict(Exception):  # noqa: N818 - reads as what happened, like PermissionDenied
    """The write clashes with the record's current state (someone else changed
    or decided it first): the API answers 409, pages say so and keep the input."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class StaleVersion(Conflict):
    """The record changed since the editor read it (version `expected`); `stored`
    is the record as it is now. Pages answer 409 with the form kept, the API 409."""

    def __init__(self, *, stored: models.Model, expected: int) -> None:
        self.stored = stored
        self.expected = expected
        super().__init__(_(
            "Someone else changed this %(thing)s since you opened it (your copy is version "
            "%(expected)s, the saved one is version %(current)s). Nothing was saved."
        ) % {"thing": stored._meta.verbose_name, "expected": expected,
             "current": getattr(stored, "version", "?")})  # fmt: skip


def is_versioned(model: type[models.Model] | models.Model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def parse_if_match(header: str | None) -> int | None:
    """The version in an `If-Match` header (`"3"`, `W/"3"` or `3`); None when
    there is none or it is `*`. Raises ValueError when it is not a version."""
    if header is None or not header.strip() or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def lock_stored(model: type[models.Model], pk: Any) -> Any:
    """The stored row of `pk`, locked until the transaction ends (call it inside
    one). None when it has been deleted."""
    return model._base_manager.select_for_update().filter(pk=pk).first()


def check_version(stored: models.Model, expected: int | None) -> None:
    """Refuse when the editor's copy (`expected`) is older than the stored row."""
    if expected is not None and getattr(stored, "version", expected) != expected:
        raise StaleVersion(stored=stored, expected=expected)
