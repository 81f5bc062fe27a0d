"""Goal pages: the shared list / detail / form / delete views (rumbo.web.crud)
with goal figures, plus the actions on one goal — approve, reject (the
cascade's preview and confirmation are in cascade_views)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rumbo.goals import cascade_views, selectors, services, words
from rumbo.goals.filters import GoalFilter
from rumbo.goals.forms import GoalForm, RejectForm
from rumbo.goals.models import Goal, State
from rumbo.tenancy.http import MemberRequest
from rumbo.tenancy.models import Member
from rumbo.tenancy.versions import Conflict
from rumbo.web import formatting
from rumbo.web.auth import member_required
from rumbo.web.crud import Column, Resource


def _save(*, actor: Member, obj: Goal, creating: bool, form: GoalForm) -> Goal:
    return services.goal_save(actor=actor, goal=obj, creating=creating,
                              milestones=form.cleaned_data["milestones"])  # fmt: skip


def _delete(*, actor: Member, obj: Goal) -> None:
    services.goal_delete(actor=actor, goal=obj)


def _detail_context(goal: Goal, member: Member) -> dict[str, Any]:
    problems = goal.bounds_errors()
    if problems:
        # Stored before goals were bounded: no timeline to draw (it would be
        # millions of days); the page says why and the goal can be corrected.
        return {"out_of_bounds": " ".join(str(m) for m in problems.values()),
                "can_decide": False, "can_cascade": False, "cascade": None}  # fmt: skip
    annotated = selectors.goals_visible(member).get(pk=goal.pk)
    card = selectors.card(annotated, member)
    cascade = selectors.cascade(goal, member) if goal.team_id else None
    unit, currency = goal.definition.unit, goal.organization.currency
    row = card.row
    can_cascade = (bool(goal.team_id) and goal.state == State.ACTIVE
                   and services.can_set(member, goal))  # fmt: skip
    return {
        "card": card,
        "forecast_text": formatting.metric_value(row.forecast if row else None, unit, currency),
        # The one wording of a chance (never a flat 0 % or 100 % while it runs).
        "probability_text": (words.chance(row.probability) if row and row.probability is not None
                             else formatting.percent(None, 0)),  # fmt: skip
        "unassigned_text": formatting.metric_value(
            cascade.unassigned if cascade else None, unit, currency),
        "chart_words": json.dumps({
            "actual": _("Actual"), "pace": _("Pace"), "forecast": _("Forecast"),
            "band": _("Likely range"), "high": "high", "milestones": _("Milestones")}),
        "timeline": selectors.timeline(goal),
        "cascade": cascade,
        "can_decide": services.can_decide(member, goal),
        "can_cascade": can_cascade,
        "reject_form": RejectForm(),
        # The cascade form's lines and, on a proposal, where its rep stands.
        **cascade_views.detail_context(goal, member, can_cascade),
    }  # fmt: skip


class GoalResource(Resource):
    def queryset(self, member: Any) -> Any:
        return selectors.goals_visible(member)


goals = GoalResource(
    model=Goal, form_class=GoalForm, filterset_class=GoalFilter, save=_save, delete=_delete,
    default_sort="end",
    columns=[
        Column("name", gettext_lazy("Goal"), link=True, template="goals/_cell_name.html"),
        Column("member.name", gettext_lazy("Whose"), template="goals/_cell_owner.html"),
        Column("end", gettext_lazy("Ends")),
        Column("latest_actual", gettext_lazy("Progress"), template="goals/_cell_progress.html"),
        Column("latest_status", gettext_lazy("Status"), template="goals/_cell_status.html"),
    ],
    detail_fields=["metric", "member", "team", "target", "start", "end", "parent", "state",
                   "note", "created_by", "decided_by"],
    hide_empty=frozenset({"member", "team", "parent", "note", "decided_by"}),
    detail_context=_detail_context,
)  # fmt: skip


def _goal(request: MemberRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.visible_to(request.member), pk=pk)


def _back(goal: Goal) -> HttpResponseRedirect:
    return HttpResponseRedirect(goal.get_absolute_url())


@member_required
@require_POST
def goal_approve(request: MemberRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    try:
        services.goal_approve(actor=request.member, goal=goal)
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Approved %(goal)s.") % {"goal": goal})
    return _back(goal)


@member_required
@require_POST
def goal_reject(request: MemberRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    try:
        services.goal_reject(actor=request.member, goal=goal, note=request.POST.get("note", ""))
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rejected %(goal)s.") % {"goal": goal})
    return _back(goal)
