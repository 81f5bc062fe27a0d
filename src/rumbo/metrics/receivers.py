"""The receiver apps connect to their "facts changed" signal (sales connects
`rumbo.sales.signals.facts_changed`): queue the keys, refresh after commit."""

from __future__ import annotations

from typing import Any

from rumbo.metrics.services import metrics_mark_changed


def facts_changed_receiver(sender: Any, *, organization_id: int, keys: Any, **kwargs: Any) -> None:
    metrics_mark_changed(organization_id=organization_id, keys=keys)
