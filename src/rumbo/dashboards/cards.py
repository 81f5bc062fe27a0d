"""The figure cards at the top of a dashboard, for the period the page says it
shows. Closed figures (revenue, deals, win rate, activities, CSAT, NPS) are
the registered metrics over the rollups — the same reader and formulas as the
team table, the scorecard and the API, so the numbers agree; what is open now
(pipeline, complaints) and the latest deals are records, read fresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rumbo.dashboards.figures import component_totals, metrics_of, values
from rumbo.dashboards.samples import sample_of
from rumbo.dashboards.selectors import Period
from rumbo.metrics.evaluation import Scope
from rumbo.sales.selectors import HomeRecords, home_records
from rumbo.tenancy.models import Member

CARDS = ("revenue", "deals_won", "deals_lost", "win_rate", "activities", "csat", "nps")


@dataclass(frozen=True)
class Rate:
    """A rate with what it rests on: its count in words ("8 responses"),
    whether that is enough to show it (samples.py) and its 95 % interval."""

    value: Decimal | None
    count: int
    count_text: str
    enough: bool
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Cards:
    """Everything the cards show is a field (the page keeps them rendered
    under their text, dashboards/_figures.html)."""

    period_key: str
    period_label: str
    start: date
    end: date
    currency: str
    revenue: Decimal
    deals_won: int
    deals_lost: int
    activities: int
    win_rate: Rate
    csat: Rate
    nps: Rate
    records: HomeRecords


def _rate(key: str, value: Decimal | None, totals: dict[str, Decimal] | None) -> Rate:
    sample = sample_of(key)
    assert sample is not None
    n = sample.counted(totals)
    bounds = sample.bounds(totals)
    low, high = bounds if bounds else (None, None)
    return Rate(value, n, sample.words(n), n >= sample.minimum, low, high)


def home_cards(*, actor: Member, scope: Scope, period: Period, rep: Member | None = None,
               complaints_open: int | None = None) -> Cards:  # fmt: skip
    """The cards of `scope` over the whole period (two rollup queries, none
    while the figures version stands; two or three for the open records)."""
    metrics = metrics_of(CARDS)
    found = component_totals(actor=actor, metrics=metrics, scope=scope, start=period.start,
                             end=period.end, grouping=None)  # fmt: skip
    totals = next(iter(found.values()), None)
    figures = values(metrics, totals)
    records = home_records(member=actor, rep=rep, complaints_open=complaints_open)
    return Cards(
        period_key=period.key, period_label=period.label, start=period.start,
        end=period.end, currency=actor.organization.currency,
        revenue=figures["revenue"] or Decimal(0), deals_won=int(figures["deals_won"] or 0),
        deals_lost=int(figures["deals_lost"] or 0), activities=int(figures["activities"] or 0),
        win_rate=_rate("win_rate", figures["win_rate"], totals),
        csat=_rate("csat", figures["csat"], totals), nps=_rate("nps", figures["nps"], totals),
        records=records,
    )  # fmt: skip
