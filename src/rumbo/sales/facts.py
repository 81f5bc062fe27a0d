"""Which (rep, day) keys a sales record counts on, and the one helper that tells
the metrics engine a write changed them (`signals.facts_changed`).

Attribution (docs/metrics.md): a deal counts for its owner on its close date;
an activity for its rep on its date; a survey response or complaint for its
`rep` (the deal's owner, else the customer's owner) on its own date (a
complaint's opening timestamp, read in the organisation's time zone)."""

from __future__ import annotations

from typing import Any

from django.db import models

from rumbo.sales.models import Activity, Complaint, Deal, SurveyResponse
from rumbo.sales.signals import facts_changed

KEY_FIELDS: dict[type[models.Model], tuple[str, str]] = {
    Deal: ("owner_id", "closed_on"),
    Activity: ("owner_id", "date"),
    SurveyResponse: ("rep_id", "responded_on"),
    Complaint: ("rep_id", "opened_at"),
}

Keys = set[tuple[Any, Any]]


def keys_of(obj: models.Model) -> Keys:
    """The key of a record as it is in memory (none for an open deal)."""
    fields = KEY_FIELDS.get(type(obj))
    if fields is None:
        return set()
    member, day = (getattr(obj, name) for name in fields)
    return {(member, day)} if member is not None and day is not None else set()


def stored_keys(obj: models.Model) -> Keys:
    """The key of a record as it is in the database, before an update moves it."""
    fields = KEY_FIELDS.get(type(obj))
    if fields is None or obj.pk is None:
        return set()
    row = type(obj)._base_manager.filter(pk=obj.pk).values_list(*fields).first()
    return {row} if row is not None and None not in row else set()


def send_changed(obj: models.Model, before: Keys) -> None:
    """Tell the metrics which keys a write touched: the old ones and the new one.
    Call inside the writing transaction."""
    keys = before | keys_of(obj)
    if keys:
        facts_changed.send(
            sender=type(obj),
            organization_id=obj.organization_id,  # type: ignore[attr-defined]
            keys=keys,
        )
