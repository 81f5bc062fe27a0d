"""The scorecard and leaderboard panels of the dashboards: a rep's (or a
scope's) score with its breakdown, and the top of a leaderboard with movement,
for the period to date — read through the metrics selectors, a fixed number of
queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.urls import reverse

from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.leaderboards import SCORE, Standing, leaderboard
from rumbo.metrics.score_rows import PartRow, part_rows
from rumbo.metrics.scorecards import Score, scorecard_scores
from rumbo.tenancy.models import Member

TOP = 10


@dataclass(frozen=True)
class Panel:
    score: Score | None
    parts: list[PartRow]
    start: date
    end: date


def score_panel(actor: Member, scope: Scope, start: date, end: date) -> Panel:
    """The scope's score over [start, end] — the whole period the page names,
    as /scorecard/ reads it (ADR 0012) — and its breakdown."""
    found = scorecard_scores(actor=actor, scope=scope, start=start, end=end, by=None)
    whole = found[0] if found else None
    parts = part_rows(whole, actor.organization.currency) if whole else []
    return Panel(whole, parts, start, end)


@dataclass(frozen=True)
class Board:
    rows: list[Standing]
    by: str
    more_url: str


def top_standings(actor: Member, scope: Scope, start: date, end: date,
                  by: Literal["rep", "team"]) -> Board:  # fmt: skip
    """The first places of the score leaderboard, with movement (cached by
    themselves: the organisation's board holds every rep)."""

    def compute() -> Board:
        rows = leaderboard(actor=actor, key=SCORE, start=start, end=end, by=by, scope=scope)
        url = reverse("metrics:leaderboard") + f"?by={by}&key={SCORE}"
        return Board(rows[:TOP], by, url)

    return remember(actor, "top-board", (start, end, by, scope.kind, scope.id), compute)
