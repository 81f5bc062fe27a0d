"""Background jobs of the metrics engine (Huey).

A write only queues the (rep, day) keys it touched and, once it commits,
schedules `refresh_metrics` for them: the request does not wait for the
rollups. In the embedded default the `rumbo serve` process runs the worker;
tests run Huey in immediate mode, so the refresh happens at once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rumbo.metrics.services import (
    metrics_rebuild,
    metrics_refresh_pending,
    metrics_refresh_waiting,
)
from rumbo.tenancy.models import Organization


@db_task(retries=3, retry_delay=10)
def refresh_metrics(organization_id: int, ticket: int | None, sources: list[str] | None) -> int:
    """Refresh the keys one write queued (its ticket), from the sources it named."""
    return metrics_refresh_pending(organization_id=organization_id, ticket=ticket, sources=sources)


@db_task(retries=1, retry_delay=60)
def rebuild_metrics(organization_id: int) -> None:
    """Rebuild all of an organisation's rollups (e.g. after its time zone changed)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:
        metrics_rebuild(organization=organization)


@db_periodic_task(crontab(minute="*/10"))
def refresh_left_over() -> None:
    """Catch up keys whose task never ran (a worker that died, a queue that
    was down when the write committed)."""
    metrics_refresh_waiting()
