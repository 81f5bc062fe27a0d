"""The manager's reps × metrics table and the organisation's teams compared.

A cell is coloured by the rep's running goal for that metric when there is one
(its latest status: on track, at risk, off track ...), else by comparison with
the median of the reps shown (better or worse than the median, in the metric's
direction). The legend on the page says which is which."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rumbo.dashboards.figures import component_totals, metrics_of, values
from rumbo.dashboards.samples import sample_of
from rumbo.dashboards.selectors import Period, chart_words
from rumbo.goals import selectors as goal_selectors
from rumbo.goals.models import State
from rumbo.metrics import registry
from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Scope, team_subtree
from rumbo.metrics.selectors import team_names
from rumbo.tenancy.models import Member, Role

TABLE = ("revenue", "deals_won", "win_rate", "csat", "nps", "repeat_rate", "complaint_rate")
TEAMS = ("revenue", "deals_won", "win_rate", "csat", "nps", "complaint_rate")
# Bootstrap classes (no style attributes: CSP): a goal's status fills the cell,
# a comparison with the median only colours the figure.
GOAL_TONES = {
    "on_track": "table-success",
    "achieved": "table-success",
    "at_risk": "table-warning",
    "off_track": "table-danger",
    "missed": "table-danger",
}
ABOVE, BELOW = "text-success fw-semibold", "text-danger"


@dataclass(frozen=True)
class Cell:
    metric: registry.Metric
    value: Decimal | None
    tone: str  # CSS classes: from GOAL_TONES, ABOVE / BELOW the median, or ""
    goal: Any = None  # the running goal the colour comes from
    count_text: str = ""  # what a rate rests on ("3 responses"); "" for a total
    enough: bool = True  # False: fewer than the rate's minimum (samples.py)

    @property
    def attainment(self) -> Decimal | None:
        """The goal's actual as a share of where it should be today (pace)."""
        goal = self.goal
        if goal is None or not goal.latest_expected or goal.latest_actual is None:
            return None
        return Decimal(goal.latest_actual) * 100 / Decimal(goal.latest_expected)


@dataclass(frozen=True)
class Line:
    key: int
    name: str
    cells: list[Cell]


def _median_tone(metric: registry.Metric, value: Decimal | None, median: Decimal | None) -> str:
    if value is None or median is None or value == median:
        return ""
    better = value > median if metric.direction == "higher" else value < median
    return ABOVE if better else BELOW


def _medians(metrics: list[registry.Metric], rows: list[dict[str, Decimal | None]]
             ) -> dict[str, Decimal | None]:  # fmt: skip
    found: dict[str, Decimal | None] = {}
    for metric in metrics:
        seen = [row[metric.key] for row in rows if row[metric.key] is not None]
        found[metric.key] = statistics.median(seen) if len(seen) > 1 else None  # type: ignore[type-var]
    return found


def _sample(metric: registry.Metric, totals: Any) -> tuple[str, bool]:
    """A rate's count in words and whether it is enough (samples.py)."""
    sample = sample_of(metric.key)
    if sample is None:
        return "", True
    n = sample.counted(totals)
    return sample.words(n), n >= sample.minimum


def team_members(actor: Member, scope: Scope) -> list[Member]:
    """The active people in the scope the actor sees, admins left out (one
    query, two more for a team scope)."""
    qs = Member.objects.visible_to(actor).filter(is_active=True).exclude(role=Role.ADMIN)
    if scope.kind == "team" and scope.id is not None:
        qs = qs.filter(team_id__in=team_subtree(actor.organization_id, scope.id))
    return list(qs.order_by("name", "pk"))


def rep_table(actor: Member, scope: Scope, period: Period, today: date) -> list[Line]:
    """One line per member of the scope, one cell per metric of TABLE (four to
    six queries whatever the number of reps, deals or goals; none while the
    figures version stands)."""
    parts = (scope.kind, scope.id, period.start, period.end, today)
    return remember(actor, "rep-table", parts, lambda: _rep_table(actor, scope, period, today))


def _rep_table(actor: Member, scope: Scope, period: Period, today: date) -> list[Line]:
    metrics = metrics_of(TABLE)
    totals = component_totals(actor=actor, metrics=metrics, scope=scope, start=period.start,
                              end=period.end, grouping="rep")  # fmt: skip
    # Reps always; a manager only when they have figures of their own.
    people = [p for p in team_members(actor, scope) if p.role == Role.REP or p.pk in totals]
    ids = [p.pk for p in people]
    running = (goal_selectors.goals_visible(actor)
               .filter(member_id__in=ids, metric__in=TABLE, state=State.ACTIVE,
                       start__lte=today, end__gte=today).order_by("end", "pk"))  # fmt: skip
    goals: dict[tuple[int | None, str], Any] = {}
    for found in running:
        goals.setdefault((found.member_id, found.metric), found)
    rows = [values(metrics, totals.get(p.pk)) for p in people]
    medians = _medians(metrics, rows)
    lines = []
    for person, row in zip(people, rows, strict=True):
        cells = []
        for metric in metrics:
            goal = goals.get((person.pk, metric.key))
            count_text, enough = _sample(metric, totals.get(person.pk))
            if goal is not None:
                tone = GOAL_TONES.get(goal.latest_status or "", "")
            elif enough:
                tone = _median_tone(metric, row[metric.key], medians[metric.key])
            else:  # a rate on a handful of answers is not better or worse than anyone
                tone = ""
            cells.append(Cell(metric, row[metric.key], tone, goal, count_text, enough))
        lines.append(Line(person.pk, person.name, cells))
    return lines


def team_lines(actor: Member, scope: Scope, period: Period) -> list[Line]:
    """One line per team with figures (three or four queries)."""
    metrics = metrics_of(TEAMS)
    totals = component_totals(actor=actor, metrics=metrics, scope=scope, start=period.start,
                              end=period.end, grouping="team")  # fmt: skip
    names = team_names(actor, totals)
    lines = []
    for key, group in totals.items():
        row = values(metrics, group)
        cells = [Cell(m, row[m.key], "", None, *_sample(m, group)) for m in metrics]
        lines.append(Line(key or 0, names.get(key, "—"), cells))
    lines.sort(key=lambda line: line.name.lower())
    return lines


def team_chart(lines: list[Line], key: str) -> dict[str, Any]:
    """Bars of one metric by team ("bars" kind of charts.js)."""
    metric = registry.get_metric(key)
    assert metric is not None
    at = next(i for i, c in enumerate(lines[0].cells) if c.metric.key == key) if lines else 0
    cells = [line.cells[at] for line in lines]
    series: dict[str, Any] = {"label": str(metric.label), "key": key,
                              "values": [None if c.value is None else float(c.value)
                                         for c in cells]}  # fmt: skip
    if any(c.count_text for c in cells):  # a rate: each bar says what it rests on
        series["count_words"] = [c.count_text for c in cells]
        series["enough"] = [c.enough for c in cells]
    return {"labels": [line.name for line in lines], "series": [series], "words": chart_words()}


def headers(keys: tuple[str, ...]) -> list[registry.Metric]:
    return metrics_of(keys)
