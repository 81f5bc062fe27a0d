"""Pages of the balanced scorecard: your score and its breakdown (a manager or
admin picks a team or a rep of theirs), the admins' scorecard editor, and the
leaderboard. Thin: parse the query, call a selector or service, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.metrics import peers, registry, services
from rumbo.metrics.cache import fragment
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.forms import LeaderboardForm, PeriodForm, ScorecardFormSet
from rumbo.metrics.leaderboards import ORDERINGS, SCORE, Standing
from rumbo.metrics.people_totals import scope_filters
from rumbo.metrics.score_rows import display, part_rows
from rumbo.metrics.scorecards import scorecard_config, scores_for
from rumbo.tenancy.http import MemberRequest
from rumbo.tenancy.models import Member, Team

PAGE_SIZE = 25


def _default_scope(member: Member) -> Scope:
    if member.organization.is_independent:
        return Scope("rep", member.pk)  # her organisation is herself: one score, hers
    if member.role == "admin":
        return Scope()
    if member.role == "manager" and member.team_id:
        return Scope("team", member.team_id)
    return Scope("rep", member.pk)


def _scope_text(scope: Scope) -> str:
    return scope.kind if scope.kind == "org" else f"{scope.kind}:{scope.id}"


@login_required
def scorecard(request: MemberRequest) -> HttpResponse:
    """The score and breakdown of the chosen rep, team or the organisation
    (default: yourself; a manager's own team; an admin's organisation), and for
    a team or the organisation the score of each of its people."""
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    start, end = form.period_bounds()
    try:
        scope = Scope.parse(request.GET["scope"]) if request.GET.get("scope") else None
    except ValueError:
        scope = None
    scope = scope or _default_scope(member)
    card = scorecard_config(actor=member)
    filters = scope_filters(member, scope)  # 404 for a rep or team the member cannot see
    whole = scores_for(member, scope, filters, start, end, None, card)[0]
    people: Any = []
    if scope.kind != "rep":
        people = Paginator(scores_for(member, scope, filters, start, end, "rep", card), PAGE_SIZE)
        people = people.get_page(request.GET.get("page"))
    teams = list(Team.objects.visible_to(member).values_list("id", "name"))
    subject = _subject_name(member, scope, dict(teams))
    choices = [(f"rep:{member.pk}", _("Me"))]
    if not member.organization.is_independent:  # hers and her one team's are "Me"
        if member.role == "admin":
            choices.append(("org", member.organization.name))
        choices += [(f"team:{pk}", _("Team %(name)s") % {"name": name}) for pk, name in teams]
    keep = {k: v for k, v in request.GET.items() if k in ("period", "on", "start", "end")}
    return render(request, "metrics/scorecard.html", {
        "form": form, "start": start, "end": end, "card": card, "whole": whole,
        "parts": part_rows(whole, member.organization.currency), "people": people,
        "show_people": scope.kind != "rep", "scope": _scope_text(scope), "subject": subject,
        "choices": choices,
        "period_query": urlencode(keep),
        "scope_query": urlencode({**keep, "scope": _scope_text(scope)}),
    }, status=400 if form.refused else 200)  # fmt: skip


def _subject_name(member: Member, scope: Scope, teams: dict[int, str]) -> str:
    if scope.kind == "org":
        return member.organization.name
    if scope.kind == "team":
        return teams.get(scope.id or 0, "")
    if scope.id == member.pk:
        return member.name
    found = (
        Member.objects.visible_to(member).filter(pk=scope.id or 0).values_list("name", flat=True)
    )
    return found.first() or ""


@login_required
def scorecard_settings(request: MemberRequest) -> HttpResponse:
    """The admins' scorecard editor: one line per metric."""
    member = getattr(request, "member", None)
    if member is None or member.role != "admin":
        raise PermissionDenied
    card = scorecard_config(actor=member)
    initial = [{"metric": line.metric.key, "weight": line.weight, "target": line.target}
               for line in card.lines]  # fmt: skip
    formset: Any = ScorecardFormSet(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.scorecard_update(actor=member, lines=formset.lines())
            except ValidationError as exc:
                formset.add_service_errors(exc)
            else:
                messages.success(request, _("Scorecard saved."))
                return redirect("metrics:scorecard_settings")
        status = 400
    return render(request, "metrics/scorecard_settings.html",
                  {"formset": formset, "card": card}, status=status)  # fmt: skip


@dataclass(frozen=True)
class StandingRow:
    standing: Standing
    value: str
    link: str
    own: bool = False

    @property
    def places(self) -> int:
        return abs(self.standing.movement or 0)


@login_required
def leaderboard_page(request: MemberRequest) -> HttpResponse:
    """The people (or teams) ranked by score or a metric: a manager's or
    admin's own scope; a rep's peers (peers.py: names, scores and ranks only)."""
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    form = LeaderboardForm(request.GET or None, today=timezone.localdate())
    start, end = form.period_bounds()
    data = form.cleaned_data if form.is_valid() else {}
    key = data.get("key") or SCORE
    by: Literal["rep", "team"] = "team" if data.get("by") == "team" else "rep"
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in ORDERINGS else "rank"
    ranking = peers.ranking_for(member, data.get("among"))
    sort = ranking.ordering(sort)
    page = peers.ranking_page(actor=member, ranking=ranking, key=key, start=start, end=end,
                              by=by, ordering=sort, number=request.GET.get("page"),
                              per_page=PAGE_SIZE)  # fmt: skip
    unit = "score" if key == SCORE else registry.METRICS[key].unit
    currency = member.organization.currency
    keep = {k: v for k, v in request.GET.items() if k in ("period", "on", "start", "end")}
    card_url = reverse("metrics:scorecard")
    shown = [StandingRow(s, display(s.value, unit, currency),
                         f"{card_url}?{urlencode({**keep, 'scope': f'{by}:{s.key}'})}"
                         if ranking.opens(s, by) else "",
                         by == "rep" and s.key == member.pk)
             for s in page.object_list]  # fmt: skip
    query = {k: v for k, v in request.GET.items() if k not in ("page", "sort")}
    context = {
        "fragment": fragment(member, "leaderboard", start, end, key, by, sort, page.number,
                             ranking.among, urlencode(sorted(request.GET.items()))),
        "form": form, "page": page, "rows": shown, "start": start, "end": end, "by": by,
        "key": key, "sort": sort, "sort_query": urlencode(query), "ranking": ranking,
        "query": urlencode({**query, "sort": sort}),
        "label": _("Score") if key == SCORE else registry.METRICS[key].label,
        "columns": [("rank", _("Rank")), ("name" if ranking.named else "", _("Name")),
                    ("", _("Score") if key == SCORE else registry.METRICS[key].label),
                    ("movement", _("Movement"))],
    }  # fmt: skip
    template = "metrics/_leaderboard_table.html" if request.headers.get("HX-Request") \
        else "metrics/leaderboard.html"  # fmt: skip
    return render(request, template, context, status=400 if form.refused else 200)
