"""A goal's standing in words, in the reader's language. The sentence says
why the status is what it is: with a forecast, the chance of reaching the
target comes first (the status follows from it: on track from 60 %, at risk
from 30 %), then where the forecast ends and where pace stands today
("72 % chance of reaching the target: the forecast ends at 149 % by 31 Mar
2026. So far 8 %, pace 10 % today."); without enough history, it says the
status follows pace. "Forecast" names the forecast, "pace" the straight line
to the target — never one for the other."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from rumbo.goals.models import Goal, Progress
from rumbo.web import formatting as fmt


def _value(goal: Goal, value: Decimal | float | None) -> str:
    return fmt.metric_value(value, goal.definition.unit, goal.organization.currency)


def _share(goal: Goal, value: Decimal | float | None) -> str:
    if value is None or not goal.target:
        return "—"
    return fmt.number(Decimal(value) * 100 / goal.target, 0) + " %"


def chance(probability: Decimal | float) -> str:
    """A chance as people read it: never a flat 0 % or 100 % while the goal runs."""
    share = min(max(float(probability), 0.01), 0.99)
    return fmt.percent(share, 0)


def sentence(goal: Goal, row: Progress | None, *, yours: bool, today: date) -> str:
    """What the goal's latest progress row means. `yours`: the reader owns it."""
    if row is None:
        if goal.start > today:
            return _("Starts on %(day)s.") % {"day": fmt.date(goal.start)}
        return _("No progress recorded yet.")
    if row.status == "achieved":
        return _("Target reached: %(actual)s of %(target)s.") % {
            "actual": _value(goal, row.actual), "target": _value(goal, goal.target)}  # fmt: skip
    if row.status == "missed":
        return _("Ended at %(share)s of the target (%(actual)s of %(target)s).") % {
            "share": _share(goal, row.actual), "actual": _value(goal, row.actual),
            "target": _value(goal, goal.target)}  # fmt: skip
    if row.forecast is None and row.probability is None:
        return _("Not enough figures yet to forecast.")
    cumulative = goal.definition.cumulative
    if row.probability is None:
        return _pace_only(goal, row, cumulative)
    end = fmt.date(goal.end)
    likely = chance(row.probability)
    if cumulative:
        text = _("%(chance)s chance of reaching the target: the forecast ends at %(share)s "
                 "by %(end)s.") % {"chance": likely, "share": _share(goal, row.forecast),
                                   "end": end}  # fmt: skip
        text += " " + _("So far %(done)s; pace is %(pace)s today.") % {
            "done": _share(goal, row.actual), "pace": _share(goal, row.expected)}  # fmt: skip
        return text + _closing(goal, row, yours)
    return _("%(chance)s chance of reaching the target: the forecast ends at %(value)s by "
             "%(end)s against a target of %(target)s (so far %(actual)s).") % {
        "chance": likely, "value": _value(goal, row.forecast), "end": end,
        "target": _value(goal, goal.target), "actual": _value(goal, row.actual)}  # fmt: skip


def _pace_only(goal: Goal, row: Progress, cumulative: bool) -> str:
    """Too little history for a chance: the status follows pace, and says so."""
    if cumulative:
        return _("Too little history to forecast; the status follows pace: %(done)s of the "
                 "target so far, against %(pace)s expected by today.") % {
            "done": _share(goal, row.actual), "pace": _share(goal, row.expected)}  # fmt: skip
    return _("Too little history to forecast; the status follows pace: %(actual)s so far "
             "against a target of %(target)s.") % {
        "actual": _value(goal, row.actual), "target": _value(goal, goal.target)}  # fmt: skip


def _closing(goal: Goal, row: Progress, yours: bool) -> str:
    """What would close the gap between the forecast and the target."""
    if row.forecast is None or goal.definition.direction != "higher":
        return ""
    gap = goal.target - Decimal(row.forecast)
    if gap <= 0:
        return ""
    weeks = max((goal.end - row.day).days / 7, 1)
    per_week = Decimal(math.ceil(gap / Decimal(weeks))) if goal.definition.unit == "count" \
        else gap / Decimal(weeks)  # fmt: skip
    text = (
        _("%(amount)s more %(metric)s a week than you are forecast to make would close the gap.")
        if yours
        else _("%(amount)s more %(metric)s a week than forecast would close the gap.")
    )
    return " " + text % {"amount": _value(goal, per_week), "metric": goal.metric_label.lower()}
