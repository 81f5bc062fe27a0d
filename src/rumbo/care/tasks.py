"""Background jobs of customer care (Huey): the daily reorder reminders.

Hourly, so each organisation's day turns in its own time zone; the job is
idempotent (a customer gets one reorder follow-up per purchase), so running
it every hour raises each reminder once, on the customer's day."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.care.due_notices import notify_due_everywhere
from rumbo.care.reorder import reorder_all
from rumbo.goals.progress import local_today


@db_periodic_task(crontab(minute="41"))
def raise_reorder_follow_ups() -> int:
    return reorder_all(local_today)


@db_periodic_task(crontab(minute="7"))
def announce_follow_ups_due() -> int:
    """Hourly, so each organisation's morning comes in its own time zone; once per
    follow-up and day (the notices' subject key), however often it runs."""
    return notify_due_everywhere(local_today)
