"""A score's breakdown as people read it: each part's label, weight, target
(and where it came from), actual, attainment and what meeting it would add to
the score, in the active language (the scorecard page and the dashboards'
score panel show the same rows)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rumbo.metrics import registry
from rumbo.metrics.scorecards import Score
from rumbo.web import formatting


def display(value: Decimal | None, metric: registry.Metric | str, currency: str) -> str:
    """A figure as people read it, per the active language and the metric's
    declared unit and percent convention (`metric` may be a bare unit, such as
    "score" for the score itself)."""
    if value is None:
        return "—"
    unit = metric if isinstance(metric, str) else metric.unit
    if unit == "money":
        return formatting.money(value, currency)
    if unit in ("count", "percent"):
        return formatting.metric_value(value, metric, currency)
    return formatting.number(value, 1)


@dataclass(frozen=True)
class PartRow:
    key: str
    label: str
    family: str
    weight: Decimal
    target: str
    source: str  # "goal" or "scorecard"
    source_label: str
    actual: str
    attainment: Decimal | None
    credit: Decimal | None
    met: bool
    lift: Decimal
    biggest: bool
    no_data: bool


def part_rows(score: Score, currency: str) -> list[PartRow]:
    best = score.biggest_lift
    sources = {"goal": _("from the goal"), "scorecard": _("from the scorecard")}
    return [PartRow(p.metric.key, str(p.metric.label), p.family, p.weight,
                    display(p.target, p.metric, currency), p.source, sources[p.source],
                    display(p.actual, p.metric, currency), p.attainment, p.credit, p.met,
                    p.lift, best is not None and p is best, p.no_data)
            for p in score.parts]  # fmt: skip
