"""Leaderboards among peers: whom a member's leaderboard ranks, and what it
says of them.

A manager's or an admin's leaderboard ranks the people (or teams) of their own
scope, each row opening that person's scorecard. A rep's ranks them among
their peers: the people of their team and every team below it (as the
scorecard's team scope reads it), or the whole organisation where its admin
allows (`Organization.leaderboard_reach`). Those rows are the organisation's
own leaderboard of that team — computed as its admins compute it, so the
ranks, scores and movement are the very ones a manager or admin sees for the
same people — and they carry names, scores and ranks only: no row but the
rep's own opens anything, and every record stays behind `visible_to` (a
peer's deal, customer, goal or scorecard still answers 404). Where the admin
hides names (`Organization.leaderboard_names`), every row but the rep's own is
"Peer N", N its place, without a member id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from django.core.paginator import Page
from django.utils.translation import gettext as _

from rumbo.metrics.evaluation import Scope
from rumbo.metrics.leaderboards import Standing, leaderboard, standings_page
from rumbo.tenancy.models import Member, PeerNames, PeerReach, Role
from rumbo.tenancy.scoping import organisation_view

Among = Literal["team", "org"]
AMONG: tuple[Among, ...] = ("team", "org")


@dataclass(frozen=True)
class Ranking:
    """Whom a leaderboard ranks and how it shows them. `among` is None for a
    ranking of the viewer's own scope (a manager's, an admin's, a rep's own
    row); else the peers' ranking chosen, `choices` the ones the rep may
    choose between, `named` whether peers' names are shown."""

    viewer_id: int
    scope: Scope
    among: Among | None = None
    choices: tuple[Among, ...] = ()
    named: bool = True

    def opens(self, standing: Standing, by: str) -> bool:
        """Whether the row may link to its scorecard: always in one's own scope;
        among peers, only one's own row."""
        if standing.key is None:
            return False
        return self.among is None or (by == "rep" and standing.key == self.viewer_id)

    def ordering(self, asked: str) -> str:
        """Unnamed peers are not sorted by name ("Peer 10" before "Peer 2"): by rank."""
        return asked if self.named or "name" not in asked else asked.replace("name", "rank")

    @property
    def scope_text(self) -> str:
        return "org" if self.scope.kind == "org" else f"{self.scope.kind}:{self.scope.id}"


def _choices(actor: Member) -> tuple[Among, ...]:
    if actor.role != Role.REP:
        return ()
    wide = actor.organization.leaderboard_reach == PeerReach.ORGANIZATION
    return AMONG if wide else ("team",)


def _peers(actor: Member, among: Among, choices: tuple[Among, ...]) -> Ranking:
    if among == "org":
        scope = Scope()
    else:
        scope = Scope("team", actor.team_id) if actor.team_id else Scope("rep", actor.pk)
    named = actor.organization.leaderboard_names != PeerNames.HIDDEN
    return Ranking(actor.pk, scope, among, choices, named)


def ranking_for(actor: Member, among: str | None = None) -> Ranking:
    """The page's ranking: a rep's team (the default) or, where allowed and
    asked (`among="org"`), the organisation; anyone else's own scope."""
    choices = _choices(actor)
    if not choices:
        return Ranking(actor.pk, Scope())
    return _peers(actor, "org" if among == "org" and "org" in choices else "team", choices)


def ranking_for_scope(actor: Member, scope: Scope) -> Ranking:
    """The API's ranking for `scope`. A rep's "org" is the organisation where
    the admin allows it, else their team (the widest they may see); their own
    team is their team's ranking; any other scope is ranked through their own
    view as before (themself; another's answers 404)."""
    choices = _choices(actor)
    if choices and scope.kind == "org":
        return _peers(actor, "org" if "org" in choices else "team", choices)
    if choices and scope.kind == "team" and scope.id == actor.team_id:
        return _peers(actor, "team", choices)
    return Ranking(actor.pk, scope)


def standings(*, actor: Member, ranking: Ranking, key: str, start: date, end: date,
              by: Literal["rep", "team"]) -> list[Standing]:  # fmt: skip
    """The rows of `ranking`, best first (see `leaderboards.leaderboard`), with
    peers unnamed where the organisation says so. Raises KeyError for a key
    that cannot be ranked by, Http404 for a scope the actor cannot see."""
    if ranking.among is None:
        return leaderboard(actor=actor, key=key, start=start, end=end, by=by,
                           scope=ranking.scope)  # fmt: skip
    # The admins' ranking (cached under their view): names, scores and ranks only.
    rows = leaderboard(actor=organisation_view(actor), key=key, start=start, end=end, by=by,
                       scope=ranking.scope)  # fmt: skip
    if ranking.named or by != "rep":
        return rows  # teams keep their names
    return unnamed(rows, ranking.viewer_id)


def unnamed(rows: Sequence[Standing], viewer_id: int) -> list[Standing]:
    """Every row but the viewer's as "Peer N" (N: its place), without its id."""
    return [row if row.key == viewer_id
            else replace(row, key=None, team_id=None, name=_("Peer %(number)s") % {"number": i})
            for i, row in enumerate(rows, start=1)]  # fmt: skip


def ranking_page(*, actor: Member, ranking: Ranking, key: str, start: date, end: date,
                 by: Literal["rep", "team"], ordering: str, number: str | None,
                 per_page: int) -> Page:  # fmt: skip
    """One page of `ranking` in `ordering` (see `leaderboards.standings_page`)."""
    return standings_page(
        actor=actor, ordering=ranking.ordering(ordering), number=number, per_page=per_page,
        parts=(key, start, end, by, ranking.among, ranking.scope_text),
        rows=lambda: standings(actor=actor, ranking=ranking, key=key, start=start, end=end,
                               by=by),
    )  # fmt: skip


__all__ = ["AMONG", "Among", "Ranking", "ranking_for", "ranking_for_scope", "ranking_page",
           "standings", "unnamed"]  # fmt: skip
