"""A goal's standing in one sentence, in the reader's language: where this
pace leads by the end, and what would close the gap ("At this pace you reach
87 % by 31 Mar 2026; 3 more deals won a week would close the gap")."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from rumbo.goals.models import Goal, Progress
from rumbo.web import formatting as fmt


def _value(goal: Goal, value: Decimal | float | None) -> str:
    return fmt.metric_value(value, goal.definition.unit, goal.organization.currency)


def _share(goal: Goal, value: Decimal | None) -> str:
    if value is None or not goal.target:
        return "—"
    return fmt.number(Decimal(value) * 100 / goal.target, 0) + " %"


def sentence(goal: Goal, row: Progress | None, *, yours: bool, today: date) -> str:
    """What the goal's latest progress row means. `yours`: the reader owns it."""
    if row is None:
        if goal.start > today:
            return _("Starts on %(day)s.") % {"day": fmt.date(goal.start)}
        return _("No progress recorded yet.")
    end = fmt.date(goal.end)
    if row.status == "achieved":
        return _("Target reached: %(actual)s of %(target)s.") % {
            "actual": _value(goal, row.actual), "target": _value(goal, goal.target)}  # fmt: skip
    if row.status == "missed":
        return _("Ended at %(share)s of the target (%(actual)s of %(target)s).") % {
            "share": _share(goal, row.actual), "actual": _value(goal, row.actual),
            "target": _value(goal, goal.target)}  # fmt: skip
    if row.forecast is None:
        return _("Not enough figures yet to forecast.")
    if not goal.definition.cumulative:
        text = (_("At this pace you finish at %(value)s against a target of %(target)s.") if yours
                else _("At this pace it finishes at %(value)s against a target of %(target)s."))
        return text % {"value": _value(goal, row.forecast), "target": _value(goal, goal.target)}
    reach = (_("At this pace you reach %(share)s by %(end)s") if yours
             else _("At this pace it reaches %(share)s by %(end)s")) % {
        "share": _share(goal, row.forecast), "end": end}  # fmt: skip
    gap = goal.target - row.forecast
    weeks = max((goal.end - row.day).days / 7, 1)
    if gap <= 0 or goal.definition.direction != "higher":
        return reach + "."
    per_week = Decimal(math.ceil(gap / Decimal(weeks))) if goal.definition.unit == "count" \
        else gap / Decimal(weeks)  # fmt: skip
    return reach + "; " + _("%(amount)s more %(metric)s a week would close the gap.") % {
        "amount": _value(goal, per_week), "metric": goal.metric_label.lower()}  # fmt: skip
