"""Where a target for a period comes from — one rule, read by every surface
(scorecard page, dashboards' score panel, leaderboards by score, the scores
API): the goal, where an active goal exists on that metric for exactly that
owner (rep, team or organisation) and period; otherwise the scorecard's
setting, scaled as the metric declares (`Metric.period_target`: per rep per
month for a running total, the figure itself for a rate). docs/decisions/
0012-one-number-and-balanced-score.md says why.

The metrics engine knows no goal: the goals app registers the reader of its
goals (`register_goal_reader`) when it loads, as the apps register their
metrics."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from rumbo.metrics import registry

OwnerKind = Literal["rep", "team", "org"]
Owner = tuple[OwnerKind, int | None]  # ("rep", member id), ("team", team id), ("org", None)
GoalKey = tuple[str, OwnerKind, int | None]  # metric key, owner kind, owner id
Source = Literal["goal", "scorecard"]

# (organization id, start, end, metric keys) -> the targets of the goals on
# exactly that period, and the ids of the teams that have teams below them.
GoalReader = Callable[[int, date, date, Sequence[str]], tuple[dict[GoalKey, Decimal], set[int]]]
_READERS: list[GoalReader] = []


def register_goal_reader(reader: GoalReader) -> None:
    """The goals app's reader of goal targets (once per process)."""
    if reader not in _READERS:
        _READERS.append(reader)


@dataclass(frozen=True)
class Target:
    value: Decimal
    source: Source


@dataclass(frozen=True)
class PeriodTargets:
    """The targets of one period for one organisation: the goals on exactly
    [start, end] by (metric, owner kind, owner id), and the teams with teams
    below them (a leaderboard's team row counts its own members only, so a
    goal of a team with sub-teams, which covers them all, is not its target)."""

    months: Decimal
    goals: Mapping[GoalKey, Decimal] = field(default_factory=dict)
    parents: frozenset[int] = frozenset()

    def goal(self, metric: str, owner: Owner | None) -> Decimal | None:
        if owner is None or not self.goals:
            return None
        return self.goals.get((metric, owner[0], owner[1]))

    def target(self, metric: registry.Metric, base: Decimal, owner: Owner | None,
               headcount: int) -> Target:  # fmt: skip
        """THE target of `metric` for `owner` over the period: its goal's, or the
        scorecard's `base` scaled by the metric's declared rule."""
        found = self.goal(metric.key, owner)
        if found is not None:
            return Target(found, "goal")
        return Target(metric.period_target(base, self.months, headcount), "scorecard")

    def team_owner(self, team_id: int | None) -> Owner | None:
        """Owner of a leaderboard's team row (its own members): the team's
        goals count only when no team sits below it."""
        if team_id is None or team_id in self.parents:
            return None
        return ("team", team_id)


def period_targets(organization_id: int, start: date, end: date,
                   metrics: Sequence[str], months: Decimal) -> PeriodTargets:  # fmt: skip
    """The period's targets: one query for the goals of the period (and one for
    the team tree when a team goal is among them)."""
    goals: dict[GoalKey, Decimal] = {}
    parents: set[int] = set()
    for reader in _READERS:
        found, above = reader(organization_id, start, end, metrics)
        goals.update(found)
        parents |= above
    return PeriodTargets(months, goals, frozenset(parents))
