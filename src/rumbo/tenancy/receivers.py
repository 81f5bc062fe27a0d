"""The team tree and the memberships decide who counts in which figure (a
team's total, a manager's leaderboard, a rep's place): any save or delete of a
member or a team moves the organisation's figures version on (ADR 0007)."""

from __future__ import annotations

from typing import Any

from rumbo.tenancy.services import figures_changed


def people_changed_receiver(sender: Any, *, instance: Any, raw: bool = False,
                            **kwargs: Any) -> None:  # fmt: skip
    if raw:  # loaddata: nothing is cached for a database being loaded
        return
    figures_changed(organization_id=instance.organization_id)
