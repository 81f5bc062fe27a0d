"""Background jobs of the sales records (Huey).

Open deals are valued at today's rate (ADR 0013): a rate saved ahead of its
date reconverts them on the day it takes effect. Hourly, so each organisation's
day turns in its own time zone; it writes only deals whose base amount moved."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.sales.money import follow_today


@db_periodic_task(crontab(minute="23"))
def open_deals_follow_today() -> int:
    return follow_today()
