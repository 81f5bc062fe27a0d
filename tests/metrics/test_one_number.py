"""One number per thing (issue 16, item 1): every registered metric × scope
(a rep, a team, the organisation) × period (a month, a quarter, a year) read
through each surface — the goal's recorded progress, the scorecard line, the
leaderboard row, the dashboards' figure selector, the metrics API and
`rumbo metrics show` — gives the same value, and the goal and the scorecard
line the same target. The expected value is computed independently, in
Python, from the source rows (tests/metrics/oracle.py), not by the engine."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.management import call_command

from rumbo.dashboards import scoring
from rumbo.dashboards.figures import component_totals, values
from rumbo.goals.models import Goal, Progress
from rumbo.goals.progress import goals_recompute
from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.leaderboards import SCORE, leaderboard
from rumbo.metrics.scorecards import scorecard_scores
from rumbo.metrics.services import ScorecardLine, metrics_rebuild, scorecard_update
from rumbo.web import formatting
from tests.metrics import data, oracle

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
PERIODS = {
    "month": (dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    "quarter": (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    "year": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
}
ON = {"month": "2025-03-15", "quarter": "2025-05-15", "year": "2025-07-01"}


def cents(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def additive() -> list[registry.Metric]:
    return [m for m in registry.all_metrics() if m.additive]


@pytest.fixture
def one(world):  # type: ignore[no-untyped-def]
    """Acme's varied facts; an organisation scorecard of every additive
    metric; a goal on every additive metric for each owner and period (its
    target a distinct number, so a target taken from elsewhere shows)."""
    data.fill(world.acme, [world.rita, world.nina, world.sofia, world.mark], deals=90)
    metrics_rebuild(organization=world.acme)
    scorecard_update(actor=world.alice, lines=[ScorecardLine(m.key, Decimal(1), Decimal(7))
                                               for m in additive()])  # fmt: skip
    owners = {"rep": {"member": world.nina}, "team": {"team": world.teams["south"]}, "org": {}}
    goals = {}
    for n, metric in enumerate(additive()):
        for kind, owner in owners.items():
            for name, (start, end) in PERIODS.items():
                target = Decimal(11 + n) + Decimal(len(kind)) / 10 + Decimal(len(name)) / 100
                goals[(metric.key, kind, name)] = Goal.objects.create(
                    organization=world.acme, metric=metric.key, target=target, start=start,
                    end=end, **owner)  # fmt: skip
    for _name, (_start, end) in PERIODS.items():
        goals_recompute(organization=world.acme, day=end)
    world.goals = goals
    return world


SCOPES = ("rep", "team", "org")


def _scope(world: Any, kind: str) -> Scope:
    if kind == "rep":
        return Scope("rep", world.nina.pk)
    if kind == "team":
        return Scope("team", world.teams["south"].pk)
    return Scope()


def _members(world: Any, kind: str) -> set[int]:
    everyone = {m.pk for m in world.acme.members.all()}
    if kind == "rep":
        return {world.nina.pk}
    if kind == "team":
        return {m.pk for m in world.acme.members.filter(team=world.teams["south"])}
    return everyone


def _show(metric: str, start: dt.date, end: dt.date, scope: str) -> Decimal | None:
    out = io.StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", metric, "--from",
                 start.isoformat(), "--to", end.isoformat(), "--scope", scope, "--format",
                 "json", stdout=out)  # fmt: skip
    rows = json.loads(out.getvalue())
    assert len(rows) == 1
    return cents(rows[0]["value"])


def test_every_surface_shows_the_same_value_and_target(one) -> None:  # type: ignore[no-untyped-def]
    alice = one.alice
    client = one.client("alice")
    comps = oracle.components(one.acme)
    members = {m.pk: m for m in one.acme.members.all()}
    checked = 0
    for kind in SCOPES:
        scope = _scope(one, kind)
        scope_text = "org" if kind == "org" else f"{kind}:{scope.id}"
        for name, (start, end) in PERIODS.items():
            card = scorecard_scores(actor=alice, scope=scope, start=start, end=end, by=None)[0]
            parts = {p.metric.key: p for p in card.parts}
            by = "rep" if kind == "rep" else "team"
            boards = {}
            for metric in additive():
                ask = oracle.Ask(_members(one, kind), start, end, None)
                reference = cents(oracle.additive(metric.key, comps, ask, members)[None])
                goal = one.goals[(metric.key, kind, name)]
                progress = Progress.objects.get(goal=goal, day=end)
                totals = component_totals(actor=alice, metrics=[metric], scope=scope,
                                          start=start, end=end, grouping=None)  # fmt: skip
                dashboard = values([metric], totals.get(None))[metric.key]
                api = client.get(
                    f"/api/v1/metrics/{metric.key}",
                    {"from": start.isoformat(), "to": end.isoformat(), "scope": scope_text},
                )
                assert api.status_code == 200, api.content
                seen = {
                    "source rows": reference,
                    "goal": cents(progress.actual),
                    "scorecard": cents(parts[metric.key].actual),
                    "dashboard": cents(dashboard),
                    "api": cents(api.json()["rows"][0]["value"]),
                    "metrics show": _show(metric.key, start, end, scope_text),
                }
                if kind != "org":  # a leaderboard has rows for reps and teams
                    if metric.key not in boards:
                        rows = leaderboard(actor=alice, key=metric.key, start=start, end=end,
                                           by=by)  # fmt: skip
                        boards[metric.key] = {s.key: s.value for s in rows}
                    seen["leaderboard"] = cents(boards[metric.key].get(scope.id))
                if metric.accumulates and seen["scorecard"] == 0:
                    seen = {k: v or Decimal("0.00") for k, v in seen.items()}  # zero, not empty
                assert len(set(seen.values())) == 1, (metric.key, kind, name, seen)
                # The same target on the goal and on the scorecard line.
                part = parts[metric.key]
                assert (part.target, part.source) == (goal.target, "goal"), (metric.key, kind)
                checked += 1
    assert checked == len(additive()) * len(SCOPES) * len(PERIODS)


def test_a_score_reads_the_same_on_every_page(one) -> None:  # type: ignore[no-untyped-def]
    client = one.client("alice")
    for name, (start, end) in PERIODS.items():
        scope = Scope("rep", one.nina.pk)
        page = client.get("/scorecard/", {"period": name, "on": ON[name],
                                          "scope": f"rep:{one.nina.pk}"})  # fmt: skip
        assert page.status_code == 200
        shown = page.context["whole"].score
        html = page.content.decode()
        # Every line's target is the rep's goal for the period, and the page says so.
        assert html.count('data-source="goal"') == len(additive()), name
        assert "from the goal" in html and 'data-testid="biggest-lift"' in html
        panel = scoring.score_panel(one.alice, scope, start, end).score
        board = {s.key: s.value for s in leaderboard(actor=one.alice, key=SCORE, start=start,
                                                      end=end)}  # fmt: skip
        query = {"period": name, "on": ON[name], "scope": f"rep:{one.nina.pk}", "by": "all"}
        api = client.get("/api/v1/scores", query)
        assert api.status_code == 200
        assert panel is not None and shown is not None
        assert shown == panel.score == board[one.nina.pk], name
        assert Decimal(str(api.json()["rows"][0]["score"])) == shown


def test_goals_scorecards_and_formatting_take_every_metric(one) -> None:  # type: ignore[no-untyped-def]
    # A figure of every registered metric formats by its declared unit and
    # percent convention: 60 on a percent metric reads 60 %, never 6,000 %.
    for metric in registry.all_metrics():
        text = formatting.metric_value(Decimal(60), metric, "EUR")
        assert "6,000" not in text and "60" in text, (metric.key, text)
        if metric.unit == "percent":
            assert text == "60.0 %", (metric.key, text)
    # Every additive metric has a goal with recorded progress and a scorecard line.
    parts = scorecard_scores(actor=one.alice, start=PERIODS["year"][0],
                             end=PERIODS["year"][1], by=None)[0].parts  # fmt: skip
    assert {p.metric.key for p in parts} == {m.key for m in additive()}
    recorded = set(Progress.objects.filter(goal__organization=one.acme)
                   .values_list("goal__metric", flat=True))  # fmt: skip
    assert recorded == {m.key for m in additive()}
