"""The access path, handed to the ground kit.

web/ draws every app's lists, forms, detail pages and API operations, but
decides no rule of who may see or change what, and knows no model of people or
versions: the app that owns those rules (tenancy, "THE access-scoping path")
installs them here from its AppConfig.ready. So web/ sits below every app and
imports none of them (tests/web/test_layering.py scans its imports); a
different access path could be handed in without touching the kit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest


@dataclass(frozen=True)
class AccessPath:
    """What the kit asks of the access rules. `member` is whoever the request
    acts as (the kit only passes it along)."""

    is_visible: Callable[[Any, Model], bool]  # may `member` open `obj`?
    can_create: Callable[[Any, type[Model]], bool]
    can_write: Callable[[Any, Model], bool]
    is_admin_only: Callable[[type[Model]], bool]
    # The model of people: a rep is offered no choice among them (only themself).
    people: type[Model]
    is_rep: Callable[[Any], bool]
    # Versioned edits: whether a record carries a version, the If-Match header
    # read, and the two refusals (another save came first; a stale version).
    is_versioned: Callable[[Any], bool]
    parse_if_match: Callable[[str | None], int | None]
    conflict: type[Any]
    stale_version: type[Any]


_installed: list[AccessPath] = []


def install(path: AccessPath) -> None:
    """Hand the kit its access path (once per process; again replaces it)."""
    _installed[:] = [path]


def access() -> AccessPath:
    if not _installed:
        raise ImproperlyConfigured(
            "No access path installed: the app owning access (rumbo.tenancy) installs it "
            "from its AppConfig.ready."
        )
    return _installed[0]


class MemberRequest(HttpRequest):
    """A request whose user acts as a member (set by the tenancy middleware)."""

    member: Any
