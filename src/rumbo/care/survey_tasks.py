"""Background jobs of the satisfaction surveys (Huey; registered by the care
app's ready()): every morning the surveys of the follow-ups due and the
reminders due; on demand, one follow-up's survey (the "send survey" action)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rumbo.care import surveys


@db_periodic_task(crontab(minute="15", hour="8"))
def send_due_surveys() -> None:
    surveys.due_run()


@db_task(retries=2, retry_delay=60)
def send_follow_up_survey(follow_up_id: int) -> None:
    surveys.follow_up_run(follow_up_id)
