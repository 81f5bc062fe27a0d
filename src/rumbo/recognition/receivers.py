"""Recognition listens where notifications listen (ADR 0016): goals' recorded
progress, sales' saved feedback, and written deals. Awarding runs after the
writing transaction commits, so a badge never outlives a rolled-back write
and an award that fails never undoes the user's save."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from rumbo.recognition import awards
from rumbo.sales.models import Complaint, Deal, SurveyResponse

log = logging.getLogger(__name__)

# Won deals are judged when written, for recent days only and for a batch of
# moderate size: an import of years of history awards nothing (nor announces
# a thousand badges); `rumbo recognition sweep` can judge a past period.
RECENT_DAYS = 31
MAX_KEYS = 200


def _safely(fn: Any, **kwargs: Any) -> None:
    try:
        fn(**kwargs)
    except Exception:  # noqa: BLE001 - a badge never breaks the save that earned it
        log.exception("recognition: %s failed", fn.__name__)


def progress_recorded_receiver(sender: Any, *, organization: Any, rows: Any, **kwargs: Any) -> None:
    # Sent after the recompute committed.
    _safely(awards.progress_award, organization=organization, rows=list(rows))


def feedback_recorded_receiver(sender: Any, *, actor: Any, record: Any, creating: bool,
                               **kwargs: Any) -> None:  # fmt: skip
    if isinstance(record, SurveyResponse):
        transaction.on_commit(lambda: _safely(awards.survey_award, response=record))
    elif isinstance(record, Complaint):
        transaction.on_commit(lambda: _safely(awards.complaint_award, complaint=record))


def facts_changed_receiver(sender: Any, *, organization_id: int, keys: Any, **kwargs: Any) -> None:
    if sender is not Deal:
        return
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    recent = [(m, d) for m, d in keys if isinstance(d, dt.date) and d >= since]
    if not recent or len(recent) > MAX_KEYS:
        return
    transaction.on_commit(
        lambda: _safely(awards.deals_award, organization_id=organization_id, keys=recent)
    )
