"""The cascade of a team goal as a page walks it — the form on the goal's
page starts from the split as it stands, "Preview" shows each person's target
and milestones (an htmx partial, or a page without JavaScript) and writes
nothing, "Confirm" writes exactly what was previewed — and what the review of
a rep's proposal shows: where she stands on the metric today and before."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.goals import services
from rumbo.goals.cascades import Plan, cascade_candidates
from rumbo.goals.models import Goal, State
from rumbo.goals.standing import standing
from rumbo.tenancy.http import MemberRequest
from rumbo.tenancy.models import Member
from rumbo.tenancy.versions import Conflict
from rumbo.web import formatting
from rumbo.web.auth import member_required


def _text(goal: Goal, value: Decimal | None) -> str:
    return formatting.metric_value(value, goal.definition, goal.organization.currency)


def _exact(goal: Goal, value: Decimal | None) -> str:
    """A share's figure to the cent: the split adds up to the target exactly,
    and the page shows what will be saved (metric_value rounds money to units)."""
    if goal.definition.unit == "money" and value is not None:
        return formatting.money(value, goal.organization.currency)
    return _text(goal, value)


def detail_context(goal: Goal, member: Member, can_cascade: bool) -> dict[str, Any]:
    """What the goal's page adds: the cascade form's lines (for whoever may
    cascade it) and, on a rep's proposal, where she stands."""
    lines = []
    if can_cascade:
        lines = [{"c": c, "current_text": _exact(goal, c.current) if c.current is not None else ""}
                 for c in cascade_candidates(goal, member)]  # fmt: skip
    shown = None
    if goal.state == State.PROPOSED and goal.member_id:
        found = standing(goal, member)
        shown = {
            "current": found.current,
            "current_text": _text(goal, found.current.value) if found.current else "",
            "history": [(p, _text(goal, p.value)) for p in found.history],
            "best_text": _text(goal, found.best) if found.best is not None else "",
            "target_text": _text(goal, goal.target),
        }  # fmt: skip
    return {"cascade_lines": lines, "standing": shown}


def _goal(request: MemberRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.visible_to(request.member), pk=pk)


def _weights(request: MemberRequest) -> dict[int, Decimal]:
    """Who is ticked and each one's weight; ValidationError naming what is wrong."""
    weights: dict[int, Decimal] = {}
    try:
        for raw in request.POST.getlist("members"):
            text = request.POST.get(f"weight_{raw}", "").strip().replace(",", ".")
            weights[int(raw)] = Decimal(text)
    except (ValueError, InvalidOperation):
        raise ValidationError({"weights": _("Enter weights as numbers.")}) from None
    return weights


def _plan_context(goal: Goal, plan: Plan) -> dict[str, Any]:
    """The plan with its figures as people read them."""
    rows = [{
        "line": line, "target_text": _exact(goal, line.target),
        "current_text": _exact(goal, line.current) if line.current is not None else "",
        "part_text": formatting.percent(line.part, 1),
        "milestones": [(day, _exact(goal, target)) for day, target in line.milestones],
    } for line in plan.lines]  # fmt: skip
    unassigned = plan.unassigned
    return {
        "plan": plan, "rows": rows,
        "kept": [(g, _exact(goal, g.target)) for g in plan.kept],
        "target_text": _exact(goal, goal.target), "assigned_text": _exact(goal, plan.assigned),
        "over": unassigned is not None and unassigned < 0,
        "left_text": _exact(goal, abs(unassigned)) if unassigned else "",
        "has_milestones": any(row["milestones"] for row in rows),
    }  # fmt: skip


def _partial(request: MemberRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


@member_required
@require_POST
def goal_cascade_preview(request: MemberRequest, pk: int) -> HttpResponse:
    """The split the form asks for, with each person's target and milestones;
    nothing is written. Refused input says why (in place with htmx; on the
    goal's page without)."""
    goal = _goal(request, pk)
    try:
        plan = services.goal_cascade_preview(actor=request.member, goal=goal,
                                             weights=_weights(request))  # fmt: skip
    except ValidationError as exc:
        if not _partial(request):
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(goal.get_absolute_url())
        context = {"object": goal, "errors": exc.messages}
        return render(request, "goals/_cascade_preview.html", context, status=400)
    context = {"object": plan.goal, **_plan_context(plan.goal, plan)}
    if _partial(request):
        return render(request, "goals/_cascade_preview.html", context)
    return render(request, "goals/cascade_preview.html", context)


@member_required
@require_POST
def goal_cascade(request: MemberRequest, pk: int) -> HttpResponse:
    """Write the split previewed: the confirm form carries it with its digest,
    and a goal or shares changed since are refused (nothing written)."""
    goal = _goal(request, pk)
    digest = request.POST.get("digest", "").strip()
    try:
        created = services.goal_cascade(actor=request.member, goal=goal,
                                        weights=_weights(request), expect=digest)  # fmt: skip
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cascaded to %(n)s members.") % {"n": len(created)})
    return HttpResponseRedirect(goal.get_absolute_url())
