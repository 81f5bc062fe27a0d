"""Background job of customer health (Huey): every morning, each
organisation's customers are scored, their bands stored, and a valuable
customer turning red is announced once (health_services.health_sweep).
Registered by CareConfig.ready."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from rumbo.care.health_services import health_sweep
from rumbo.tenancy.models import Organization


@db_periodic_task(crontab(minute="45", hour="5"))
def customer_health_sweep() -> None:
    for organization in Organization.objects.all().iterator():
        health_sweep(organization=organization)
