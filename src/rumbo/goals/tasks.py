"""The daily goals job: record every organisation's goals on its own today
(recording tells the owners of goals that turned at risk or off track: see
goals.signals.progress_recorded). Runs in the `rumbo serve` worker (embedded
default) or the Huey workers (production)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rumbo.goals.progress import goals_of_members, goals_recompute, local_today
from rumbo.tenancy.models import Organization


def goals_daily(organization: Organization) -> int:
    """Goals recorded for one organisation's today."""
    return goals_recompute(organization=organization, day=local_today(organization))


# Hourly, so each organisation's progress is current through its day whatever
# its time zone; rows are upserted and notices go out once per change of status.
@db_periodic_task(crontab(minute="7"))
def record_goals() -> None:
    for organization in Organization.objects.all():
        goals_daily(organization)


@db_task()
def record_member_goals(organization_id: int, member_ids: list[int]) -> None:
    """After fresh figures for some reps: their goals (and their teams') again."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    goal_ids = goals_of_members(organization, member_ids)
    if goal_ids:
        goals_recompute(organization=organization, goal_ids=goal_ids)
