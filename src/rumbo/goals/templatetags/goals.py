"""Progress bars and status badges of goals (CSP: widths are classes, never
inline styles — `w-0` … `w-100` in steps of 5 are defined in app.css)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from rumbo.goals import words
from rumbo.goals.models import Status
from rumbo.web import formatting

register = template.Library()

COLOURS = {"on_track": "success", "achieved": "success", "at_risk": "warning",
           "off_track": "danger", "missed": "danger"}  # fmt: skip


def _step(value: Decimal | float | None) -> int:
    if value is None:
        return 0
    return int(max(0, min(100, round(float(value) / 5) * 5)))


@register.inclusion_tag("goals/_bar.html")
def goal_bar(goal: Any) -> dict[str, Any]:
    """The goal's actual against its target, with a tick where pace is today."""
    actual = getattr(goal, "latest_actual", None)
    expected = getattr(goal, "latest_expected", None)
    unit = goal.definition.unit
    currency = goal.organization.currency
    share = Decimal(actual) * 100 / goal.target if actual is not None and goal.target else None
    pace = Decimal(expected) * 100 / goal.target if expected is not None and goal.target else None
    if not goal.definition.cumulative:
        pace = None  # a rate has no path from zero: the bar alone says enough
    return {
        "share": share, "width": _step(share), "pace": pace, "pace_step": _step(pace),
        "colour": COLOURS.get(getattr(goal, "latest_status", "") or "", "secondary"),
        "actual_text": formatting.metric_value(actual, unit, currency),
        "target_text": formatting.metric_value(goal.target, unit, currency),
    }  # fmt: skip


def _meaning(status: str) -> str:
    """What a status says, with its thresholds (docs/goals.md, ADR 0014)."""
    return {
        # xgettext:no-python-format
        "on_track": _("A 60 % chance or more of reaching the target, by the forecast "
                      "(or at or ahead of pace while there is too little history)."),
        "at_risk": _("A 30 % to 60 % chance of reaching the target, by the forecast "
                     "(or within 10 % of pace while there is too little history)."),
        # xgettext:no-python-format
        "off_track": _("Under a 30 % chance of reaching the target, by the forecast "
                       "(or further behind pace while there is too little history)."),
        "achieved": _("The target is reached."),
        "missed": _("The goal ended short of its target."),
    }.get(status, "")  # fmt: skip


@register.inclusion_tag("goals/_status.html")
def status_badge(status: str | None, probability: Decimal | float | None = None) -> dict[str, Any]:
    """The status; with `probability`, the chance it follows from beside it
    ("On track · 72 %"), so a list of goals explains its statuses."""
    label = dict(Status.choices).get(status or "")
    chance = None
    if probability is not None and status in ("on_track", "at_risk", "off_track"):
        chance = words.chance(probability)
    return {"status": status, "label": label, "colour": COLOURS.get(status or "", "secondary"),
            "meaning": _meaning(status or ""), "chance": chance}  # fmt: skip
