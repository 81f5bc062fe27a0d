"""Leaderboards: the reps (or teams) of the asker's scope ranked by scorecard
score or by any additive metric over a period, with each row's movement
against the previous period of the same length. Read from the rollups like the
scores (see `scorecards`): a fixed number of queries for both periods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, Literal

from django.core.paginator import Page, Paginator
from django.db.models import Q

from rumbo.metrics import registry
from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.people_totals import Person, component_totals, groups, people_in, scope_filters
from rumbo.metrics.scorecards import (
    Scorecard,
    group_scores,
    months_in,
    owners_of,
    previous_period,
    scorecard_config,
    targets_of,
)
from rumbo.metrics.selectors import rounded
from rumbo.tenancy.models import Member

SCORE = "score"


@dataclass(frozen=True)
class Standing:
    """One row of a leaderboard. `rank` is None when the row has no value (no
    data); `movement` is how many places it climbed since the previous period
    (negative: it fell), None when it was not ranked then (new)."""

    rank: int | None
    key: int | None
    name: str
    value: Decimal | None
    previous_rank: int | None
    movement: int | None
    team_id: int | None = None

    @property
    def is_new(self) -> bool:
        return self.rank is not None and self.previous_rank is None


Value = tuple[int | None, str, Decimal | None, int | None]  # key, name, value, team id


def leaderboard_keys() -> list[str]:
    """What a leaderboard can rank by: the score, then every additive metric."""
    return [SCORE] + [m.key for m in registry.all_metrics() if m.additive]


def _values(actor: Member, filters: tuple[Q, Q], people: list[Person], key: str,
            start: date, end: date, by: Literal["rep", "team"],
            card: Scorecard | None) -> list[Value]:  # fmt: skip
    if card is not None:  # the same targets and arithmetic as the scorecard page
        totals = component_totals(actor, filters[0], start, end, card.components, people)
        found = groups(actor, people, totals, by, card.components)
        targets = targets_of(actor, card, start, end)
        owners = owners_of(found, by, Scope(), targets)
        scores = group_scores(card, found, targets, owners)
        return [(g.key, g.name, score, g.team_id)
                for g, score in zip(found, scores, strict=True)]  # fmt: skip
    metric = registry.METRICS[key]
    assert metric.formula is not None
    totals = component_totals(actor, filters[0], start, end, metric.components, people)
    formula = metric.formula
    return [(g.key, g.name, rounded(formula({c: Decimal(v) for c, v in g.totals.items()}),
                                     metric.unit), g.team_id)
            for g in groups(actor, people, totals, by, metric.components)]  # fmt: skip


def rank(values: list[Value], lower_is_better: bool) -> list[tuple[int | None, Value]]:
    """Competition ranking (1, 2, 2, 4): best first, ties share a rank and are
    listed by name; rows without a value come last, unranked."""
    # Two stable sorts with C-level keys (10,000 rows, twice per leaderboard):
    # by name, then by value.
    by_name = sorted(values, key=lambda v: v[1].lower())
    valued = sorted((v for v in by_name if v[2] is not None), key=itemgetter(2),
                    reverse=not lower_is_better)  # fmt: skip
    ordered = valued + [v for v in by_name if v[2] is None]
    ranked: list[tuple[int | None, Value]] = []
    for position, value in enumerate(ordered, start=1):
        if value[2] is None:
            ranked.append((None, value))
        elif ranked and ranked[-1][1][2] == value[2]:
            ranked.append((ranked[-1][0], value))
        else:
            ranked.append((position, value))
    return ranked


def leaderboard(*, actor: Member, key: str = SCORE, start: date, end: date,
                by: Literal["rep", "team"] = "rep", scope: Scope | None = None,
                card: Scorecard | None = None) -> list[Standing]:  # fmt: skip
    """The reps (by="rep") or teams (by="team", each with its own members) of the
    scope that the actor may see, ranked by `key` ("score" or an additive
    metric's key) over [start, end], with their movement since the previous
    period of the same length. Raises KeyError for an unknown or non-additive
    metric, Http404 for a scope the actor cannot see."""
    if key != SCORE and key not in leaderboard_keys():
        raise KeyError(key)
    scope = scope or Scope()
    if card is None:  # the organisation's own scorecard: the same for every request
        parts = (key, start, end, by, scope.kind, scope.id)
        return remember(actor, "leaderboard", parts,
                        lambda: _leaderboard(actor, key, start, end, by, scope, None))  # fmt: skip
    return _leaderboard(actor, key, start, end, by, scope, card)


def _leaderboard(actor: Member, key: str, start: date, end: date, by: Literal["rep", "team"],
                 scope: Scope, card: Scorecard | None) -> list[Standing]:  # fmt: skip
    if key == SCORE:
        card = card or scorecard_config(actor=actor)
        lower = False
    else:
        card, lower = None, registry.METRICS[key].direction == "lower"
    filters = scope_filters(actor, scope)
    people = people_in(actor, filters[1])  # once for both periods
    current = rank(_values(actor, filters, people, key, start, end, by, card), lower)
    before_start, before_end = previous_period(start, end)
    before = rank(_values(actor, filters, people, key, before_start, before_end, by, card),
                  lower)  # fmt: skip
    previous = {value[0]: position for position, value in before if position is not None}
    standings = []
    for position, (ident, name, value, team_id) in current:
        was = previous.get(ident)
        moved = was - position if was is not None and position is not None else None
        standings.append(Standing(position, ident, name, value, was, moved, team_id))
    return standings


def standings_page(*, actor: Member, rows: Callable[[], list[Standing]],
                   parts: tuple[Any, ...], ordering: str, number: str | None,
                   per_page: int) -> Page:  # fmt: skip
    """One page of the leaderboard `rows()` (which `parts` name in the actor's
    cache) in `ordering`: cached by itself, so that a page of 25 rows does not
    read the 10,000 of a large organisation's board. `number` as the request
    gives it (a bad one is the first or last page)."""
    raw = number if number and number.isdigit() else ""

    def compute() -> tuple[int, int, list[Standing]]:
        ordered = sort_standings(rows(), ordering)
        page = Paginator(ordered, per_page).get_page(raw or None)
        return page.number, len(ordered), list(page.object_list)

    found, total, shown = remember(actor, "leaderboard-page",
                                   (*parts, ordering, raw, per_page), compute)  # fmt: skip
    page = Paginator(range(total), per_page).get_page(found)  # the counts and links
    return Page(shown, page.number, page.paginator)  # type: ignore[arg-type]


ORDERINGS = ("rank", "-rank", "name", "-name", "movement", "-movement")


def sort_standings(rows: list[Standing], ordering: str) -> list[Standing]:
    """A leaderboard in another order: by rank (as it comes), name or movement
    (rows without a movement, the new and the unranked, last either way)."""
    field = ordering.lstrip("-")
    backwards = ordering.startswith("-")
    if field == "name":
        return sorted(rows, key=lambda s: s.name.lower(), reverse=backwards)
    if field == "movement":
        moved = sorted((s for s in rows if s.movement is not None),
                       key=lambda s: s.movement or 0, reverse=backwards)  # fmt: skip
        return moved + [s for s in rows if s.movement is None]
    return list(reversed(rows)) if backwards else rows


__all__ = [
    "ORDERINGS",
    "SCORE",
    "Standing",
    "leaderboard",
    "leaderboard_keys",
    "months_in",
    "rank",
    "sort_standings",
    "standings_page",
]
