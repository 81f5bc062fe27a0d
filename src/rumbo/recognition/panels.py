"""A person's page shows their badges and the kudos they received, as the
viewer may read them (contributed to tenancy's member page in RecognitionConfig)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rumbo.recognition import selectors
from rumbo.recognition.models import Badge
from rumbo.web.crud import Column
from rumbo.web.panels import Panel

PROFILE_SIZE = 6
COLUMNS = [Column("what", _("Moment"), sortable=False), Column("day", _("Date"), sortable=False)]


@dataclass(frozen=True)
class Row:
    what: Any
    day: dt.date


def _row(moment: selectors.Moment) -> Row:
    record = moment.record
    if isinstance(record, Badge):
        return Row(format_lazy(_("Badge: {title}"), title=selectors.title_of(moment)),
                   record.earned_on)  # fmt: skip
    what = format_lazy(_("Kudos from {giver}: “{text}”"), giver=record.giver.name, text=record.text)
    return Row(what, moment.at.date())


def member_context(person: Any, viewer: Any) -> dict[str, Any]:
    moments = selectors.feed(viewer, person=person, size=PROFILE_SIZE)
    rows = [_row(m) for m in moments]
    panel = Panel(_("Recognition"), COLUMNS, rows, len(rows), more_url=reverse("recognition:feed"),
                  testid="recognition")  # fmt: skip
    return {"panels": [panel]}
