"""Background jobs of notifications (Huey): every hour, the email digest for the
organisations where it is now the digest hour (RUMBO_DIGEST_HOUR, local time):
daily readers every day, weekly readers on Mondays."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.notifications.digest import digest_due, digest_send


@db_periodic_task(crontab(minute="0"))
def send_notification_digests() -> None:
    due, mondays = digest_due()
    if due:
        digest_send(organization_ids=due, weekly=mondays)
