"""Saved means shown (ADR 0019): a write made through a page has its rollups
(and the goals following them) brought up to date before the answer leaves,
so the next page the person sees carries what they just saved — without
waiting for the background refresh, and with no worker running at all.

`own_writes()` opens the window (the dashboards' middleware does, around a
page's POST); every `metrics_mark_changed` inside it notes its ticket here as
well as queueing its job; `refresh_noted()` then refreshes exactly those
tickets, from the sources each write named. The job queued by each write
stays as the fallback: whichever runs first refreshes the keys, the other
finds them gone (ADR 0004: refreshes of one organisation take turns)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Noted:
    organization_id: int
    ticket: int
    sources: list[str] | None


_noted: ContextVar[list[Noted] | None] = ContextVar("rumbo_own_writes", default=None)


@contextmanager
def own_writes() -> Iterator[list[Noted]]:
    """Within: the writes' tickets are noted (and goals recorded in this thread)."""
    token = _noted.set([])
    try:
        yield _noted.get() or []
    finally:
        _noted.reset(token)


def active() -> bool:
    """Whether this thread is inside a page's write (refresh here, not in a job)."""
    return _noted.get() is not None


def note(organization_id: int, ticket: int, sources: list[str] | None) -> None:
    found = _noted.get()
    if found is not None:
        found.append(Noted(organization_id, ticket, sources))


def refresh_noted() -> int:
    """Refresh the rollups of every write noted so far in this window (committed
    by now; a rolled-back one left no keys), then forget them. A refresh that
    fails is logged and left to the write's queued job. Returns the rep-days
    refreshed."""
    from rumbo.metrics.services import metrics_refresh_pending

    found = _noted.get() or []
    done = 0
    for noted in list(found):
        try:
            done += metrics_refresh_pending(organization_id=noted.organization_id,
                                            ticket=noted.ticket, sources=noted.sources)  # fmt: skip
        except Exception:  # the queued job still holds the keys: figures come a little later
            logger.exception("In-request refresh of ticket %s failed", noted.ticket)
    found.clear()
    return done
