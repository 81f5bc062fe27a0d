"""Goals in the search box (rumbo.search): imported by GoalsConfig.ready,
which is all it takes to register them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rumbo.goals.models import Goal
from rumbo.search.registry import Kind, hint, register
from rumbo.web.formatting import date


def describe_goal(goal: Any) -> str:
    """Whose it is, what it measures and when it ends: two "Q1 revenue" goals differ there."""
    name = goal.owner_name if goal.name else ""  # an unnamed goal's title already says whose
    return hint(name, goal.metric_label if goal.name else "", date(goal.end))


register(Kind(
    key="goals", label=_("Goals"), model=Goal,
    fields=("name", "member__name", "team__name"), describe=describe_goal, pages="goals:goal",
    order=("-end", "pk"), related=("member", "team"), position=50,
))  # fmt: skip
