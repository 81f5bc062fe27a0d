"""Background jobs of notifications (Huey): every hour, the email digest for the
organisations where it is now the digest hour (RUMBO_DIGEST_HOUR, local time)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.notifications.services import digest_due_organizations, digest_send


@db_periodic_task(crontab(minute="0"))
def send_notification_digests() -> None:
    due = digest_due_organizations()
    if due:
        digest_send(organization_ids=due)
