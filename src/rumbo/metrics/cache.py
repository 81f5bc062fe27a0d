"""The figures cache: what the dashboards and leaderboards compute from the
rollups, kept in Django's cache (Redis when configured, else each process's
memory) under the organisation's figures version, which every write that can
change a figure moves on (`tenancy.services.figures_changed`; ADR 0007). An
entry is never invalidated: it stops being read when the version moves.

Access scoping stays where it was: a cached figure is keyed by whose view it is
(the whole organisation for admins, the member for anyone else) and computed
through `visible_to` like before, so nobody reads a figure of a scope they
could not compute themselves."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from rumbo.tenancy.models import Member, Role

T = TypeVar("T")
_MISSING = object()
# The figures being computed in this process, each with the lock its askers wait on.
_computing: dict[str, threading.RLock] = {}
_guard = threading.Lock()


def viewer(actor: Member) -> str:
    """Whose view a figure is: every admin sees the whole organisation; a
    manager's view (his subtree and himself) and a rep's are their own."""
    return "org" if actor.role == Role.ADMIN else f"m{actor.pk}"


def figures_key(actor: Member, name: str, *parts: Any, shared: bool = False) -> str:
    """The cache key of a figure `name` with its arguments `parts`, in the
    actor's organisation at its current figures version and in the active
    language (names such as "No team" are translated). `shared`: the same for
    every member of the organisation (the scorecard's configuration)."""
    org = actor.organization
    who = "all" if shared else viewer(actor)
    text = ":".join(str(p) for p in parts)
    return (f"figures:{org.pk}:{org.figures_version}:{who}:{translation.get_language()}:"
            f"{name}:{text}")  # fmt: skip


def remember(actor: Member, name: str, parts: tuple[Any, ...], compute: Callable[[], T],
             shared: bool = False) -> T:  # fmt: skip
    """`compute()`'s result, from the cache when an earlier request computed it
    at the same figures version. Right after the version moves, the threads of
    one process asking for the same figure wait for the first one to compute
    it instead of each computing it again (a 10,000-rep leaderboard costs a
    quarter of a second)."""
    key = figures_key(actor, name, *parts, shared=shared)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    with _guard:
        lock = _computing.setdefault(key, threading.RLock())
    try:
        with lock:
            found = cache.get(key, _MISSING)  # computed while this thread waited
            if found is _MISSING:
                found = compute()
                cache.set(key, found, settings.FIGURES_CACHE_SECONDS)
    finally:
        with _guard:
            _computing.pop(key, None)
    return found  # type: ignore[return-value]


@dataclass(frozen=True)
class Fragment:
    """A piece of a page drawn only from cached figures, which its template
    keeps rendered under the same version and viewer as they are:
    `{% cache fragment.seconds "name" fragment.key %}`."""

    key: str
    seconds: int


def fragment(actor: Member, name: str, *parts: Any) -> Fragment:
    return Fragment(figures_key(actor, f"html-{name}", *parts), settings.FIGURES_CACHE_SECONDS)
