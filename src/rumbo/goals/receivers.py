"""Goals follow the figures: when the rollups of some reps were refreshed, the
goals covering them (theirs, their teams' up the tree, the organisation's) are
recorded again for today, in the background — in the request itself after a
page's own write (metrics.inline)."""

from __future__ import annotations

from typing import Any


def rollups_refreshed_receiver(sender: Any, *, organization_id: int, member_ids: list[int],
                               **kwargs: Any) -> None:  # fmt: skip
    from rumbo.goals.tasks import record_member_goals
    from rumbo.metrics import inline

    if not member_ids:
        return
    if inline.active():  # a page's own write: its goals too before it answers (ADR 0019)
        record_member_goals.call_local(organization_id, member_ids)
    else:
        record_member_goals(organization_id, member_ids)
