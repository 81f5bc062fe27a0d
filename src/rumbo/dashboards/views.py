"""The dashboards: `/` is each role's own (rep, manager's team, admin's
organisation, the independent seller's one page); a manager or admin drills
down with `?rep=ID` or `?team=ID` — an id outside their scope answers 404.
Someone who does not sell (a manager or admin without a quota) has no seller's
page of their own: `/dashboard/rep/` sends them home."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from rumbo.dashboards import scoring, selectors, tables
from rumbo.dashboards.attention import attention, sells
from rumbo.dashboards.cards import home_cards
from rumbo.goals import selectors as goal_selectors
from rumbo.goals.models import State
from rumbo.goals.progress import local_today
from rumbo.metrics.cache import fragment
from rumbo.metrics.evaluation import Scope
from rumbo.tenancy.http import MemberRequest
from rumbo.tenancy.models import Member, Role, Team
from rumbo.web.auth import member_required


def _id(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's dashboard at the root of the site, rendered through
    web/home.html (which extends the role's board template)."""
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    if member.organization.is_independent:
        return _rep_page(request, member, member, figures=True, trends=True, home=True)
    if member.is_admin:
        return _organisation_page(request, member, figures=True, home=True)
    if member.is_manager:
        return _team_page(request, member, figures=True, home=True)
    return _rep_page(request, member, member, figures=True, home=True)


def _render(request: HttpRequest, board: str, context: dict[str, Any], home: bool) -> HttpResponse:
    if home:
        return render(request, "web/home.html", {**context, "board_template": board})
    return render(request, board, context)


@member_required
def rep_dashboard(request: MemberRequest) -> HttpResponse:
    actor = request.member
    ident = _id(request, "rep")
    if ident is None and not sells(actor, local_today(actor.organization)):
        return redirect("home")  # no quota: no seller's page of one's own
    subject = actor if ident is None else get_object_or_404(
        Member.objects.visible_to(actor).select_related("team"), pk=ident)  # fmt: skip
    return _rep_page(request, actor, subject, figures=True,
                     trends=actor.organization.is_independent)  # fmt: skip


@member_required
def team_dashboard(request: MemberRequest) -> HttpResponse:
    return _team_page(request, request.member, figures=False)


@member_required
def organisation_dashboard(request: MemberRequest) -> HttpResponse:
    return _organisation_page(request, request.member, figures=False)


def _chart_words() -> str:
    return json.dumps(selectors.words_of_timeline())


def _rep_page(request: HttpRequest, actor: Member, subject: Member, *, figures: bool,
              trends: bool = False, home: bool = False) -> HttpResponse:  # fmt: skip
    board = selectors.rep_dashboard(actor, subject)
    today = local_today(actor.organization)
    period = selectors.period_of(request.GET.get("period"), today)
    # One person's page, the cards included: the subject's figures and open
    # complaints — the very count the to-do list was built from, so "nothing
    # urgent" never sits under a card of open complaints (a manager who sells
    # sees his own here; his team's are on his home).
    rep = None if actor.role == Role.REP else subject  # a rep's records are hers already
    context: dict[str, Any] = {
        "board": board, "subject": subject, "own": subject.pk == actor.pk, "today": today,
        "chart_words": _chart_words(), "period": period, "periods": selectors.PERIODS,
        "figures": home_cards(actor=actor, scope=Scope("rep", subject.pk), period=period,
                              rep=rep, complaints_open=board.todo.complaints_open)
        if figures else None,
        "sells": sells(actor, today),  # the actor's own "My goals" tab
    }  # fmt: skip
    # The whole period, as /scorecard/ and the goals read it: one target, one score (ADR 0012).
    context["score_panel"] = scoring.score_panel(actor, Scope("rep", subject.pk), period.start,
                                                 period.end)  # fmt: skip
    context["fragment"] = fragment(actor, "rep", subject.pk, today, trends, period.key)
    if trends:
        context["money_trend"] = selectors.monthly(actor, Scope(), selectors.TRENDS_MONEY, today)
        context["rate_trend"] = selectors.monthly(actor, Scope(), selectors.TRENDS_RATES, today)
    return _render(request, "dashboards/rep.html", context, home)


def _team_page(request: HttpRequest, actor: Member, *, figures: bool,
               home: bool = False) -> HttpResponse:  # fmt: skip
    ident = _id(request, "team")
    team = None
    if ident is not None:
        team = get_object_or_404(Team.objects.visible_to(actor), pk=ident)
    scope = Scope("team", team.pk) if team else Scope()
    today = local_today(actor.organization)
    period = selectors.period_of(request.GET.get("period"), today)
    context: dict[str, Any] = {
        "team": team, "period": period, "periods": selectors.PERIODS,
        "headers": tables.headers(tables.TABLE),
        "lines": tables.rep_table(actor, scope, period, today),
        "team_goals": selectors.team_goals_of(actor, team, today),
        "proposals": selectors.proposals_waiting(actor),
        "score_panel": scoring.score_panel(actor, scope, period.start, period.end),
        "board": scoring.top_standings(actor, scope, period.start, period.end, "rep"),
        "fragment": fragment(actor, "team", scope.kind, scope.id, period.key, today),
        "sells": sells(actor, today),
    }  # fmt: skip
    if figures:
        _with_attention(context, actor, scope, period, today)
    return _render(request, "dashboards/team.html", context, home)


def _with_attention(context: dict[str, Any], actor: Member, scope: Scope,
                    period: selectors.Period, today: date) -> None:  # fmt: skip
    """A manager's or the director's home: the cards and the list of what needs
    them, the "Complaints open" card printing the count the list was built from."""
    found = attention(actor, today, context["score_panel"], context["proposals"])
    context["attention"] = found
    context["figures"] = home_cards(actor=actor, scope=scope, period=period,
                                    complaints_open=found.complaints_open)  # fmt: skip


def _organisation_page(request: HttpRequest, actor: Member, *, figures: bool,
                       home: bool = False) -> HttpResponse:  # fmt: skip
    today = local_today(actor.organization)
    period = selectors.period_of(request.GET.get("period"), today)
    lines = tables.team_lines(actor, Scope(), period)
    org_goals = goal_selectors.goals_visible(actor).filter(member__isnull=True, team__isnull=True)
    context: dict[str, Any] = {
        "period": period, "periods": selectors.PERIODS,
        "headers": tables.headers(tables.TEAMS), "lines": lines,
        "revenue_by_team": tables.team_chart(lines, "revenue"),
        "csat_by_team": tables.team_chart(lines, "csat"),
        "money_trend": selectors.monthly(actor, Scope(), selectors.TRENDS_MONEY, today),
        "rate_trend": selectors.monthly(actor, Scope(), selectors.TRENDS_RATES, today),
        "org_goals": goal_selectors.cards(actor, org_goals, limit=6),
        "proposals": selectors.proposals_waiting(actor) if actor.is_admin else [],
        "active": State.ACTIVE,
        "team_board": scoring.top_standings(actor, Scope(), period.start, period.end, "team"),
        "rep_board": scoring.top_standings(actor, Scope(), period.start, period.end, "rep"),
        "sells": sells(actor, today),
    }  # fmt: skip
    if figures:
        context["score_panel"] = scoring.score_panel(actor, Scope(), period.start, period.end)
        _with_attention(context, actor, Scope(), period, today)
    return _render(request, "dashboards/organisation.html", context, home)
