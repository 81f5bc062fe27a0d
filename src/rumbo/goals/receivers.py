"""Goals follow the figures: when the rollups of some reps were refreshed, the
goals covering them (theirs, their teams' up the tree, the organisation's) are
recorded again for today, in the background."""

from __future__ import annotations

from typing import Any


def rollups_refreshed_receiver(sender: Any, *, organization_id: int, member_ids: list[int],
                               **kwargs: Any) -> None:  # fmt: skip
    from rumbo.goals.tasks import record_member_goals

    if member_ids:
        record_member_goals(organization_id, member_ids)
