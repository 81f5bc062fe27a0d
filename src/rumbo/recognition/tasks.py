"""Background job of recognition (Huey): every morning, the rules that look
back — a CSAT month that just ended, promoters and won deals of the last days
that no event announced (imports, answers recorded before a rule was on)."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.notifications.services import organization_today
from rumbo.recognition.awards import sweep
from rumbo.tenancy.models import Organization

LOOK_BACK_DAYS = 3


@db_periodic_task(crontab(minute="30", hour="5"))
def recognition_sweep() -> None:
    for organization in Organization.objects.all().iterator():
        today = organization_today(organization)
        sweep(organization=organization, since=today - dt.timedelta(days=LOOK_BACK_DAYS),
              today=today)  # fmt: skip
