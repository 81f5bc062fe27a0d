"""Receivers the apps connect to their signals: sales connects
`rumbo.sales.signals.facts_changed` (queue the keys, refresh them in the
background after commit); the metrics app connects tenancy's
`time_zone_changed` (rebuild the organisation's rollups in the background)."""

from __future__ import annotations

from typing import Any

from rumbo.metrics import registry
from rumbo.metrics.services import metrics_mark_changed, metrics_schedule_rebuild


def facts_changed_receiver(sender: Any, *, organization_id: int, keys: Any, **kwargs: Any) -> None:
    # A write to one model can only change the sources that read that model
    # (a deal cannot change survey components): the refresh skips the others.
    sources = registry.refreshed_by(sender) if isinstance(sender, type) else None
    metrics_mark_changed(organization_id=organization_id, keys=keys, sources=sources)


def time_zone_changed_receiver(sender: Any, *, organization: Any, **kwargs: Any) -> None:
    # Timestamp-based facts (a complaint's opening) count on their local date:
    # a new time zone moves some of them to another day.
    metrics_schedule_rebuild(organization=organization)
