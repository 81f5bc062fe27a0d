"""A score's breakdown as people read it: each part's label, weight, target
and actual in the active language (the scorecard page and the dashboards'
score panel show the same rows)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rumbo.metrics.scorecards import Score
from rumbo.web import formatting


def display(value: Decimal | None, unit: str, currency: str) -> str:
    """A figure as people read it, per the active language."""
    if value is None:
        return "—"
    if unit == "money":
        return formatting.money(value, currency)
    if unit == "count":
        return formatting.number(value)
    if unit == "percent":
        return formatting.percent(value / 100)
    return formatting.number(value, 1)


@dataclass(frozen=True)
class PartRow:
    label: str
    weight: Decimal
    target: str
    actual: str
    attainment: Decimal | None
    points: Decimal
    capped: bool
    no_data: bool


def part_rows(score: Score, currency: str) -> list[PartRow]:
    return [PartRow(str(p.metric.label), p.weight, display(p.target, p.metric.unit, currency),
                    display(p.actual, p.metric.unit, currency), p.attainment, p.points,
                    p.capped, p.no_data) for p in score.parts]  # fmt: skip
