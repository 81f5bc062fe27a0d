"""The metric registry. Apps register, in their AppConfig.ready():

- sources: a fact table whose rows are attributed to a rep (a Member column)
  on a day (a date column, or a timestamp read as a date in the organisation's
  time zone), with the additive components computed from it as ORM aggregates
  (`Sum`, `Count` with filters) per rep × day;
- "first of" sources: the first fact of each partition in a fixed order (a
  customer's first won deal), kept in `FirstFact` so that "first" and "repeat"
  do not depend on the order in which the rows arrived;
- metrics: a key, a translatable label, a unit, a direction, whether it
  accumulates over a period, and either a formula over component totals
  (additive, read from rollups) or a `compute` function reading the source for
  figures that do not add up (snapshots, distinct counts).

What a metric *means* is declared here once and read by every surface (goals,
scorecards, leaderboards, dashboards, formatting, the API): whether it
accumulates (`accumulates`), how its target scales with the period and the
headcount (`period_target`), its unit and its percent convention
(`percent_scale`). Nothing else decides it from the unit or the formula.

The engine (rollups, refresh, evaluation) knows no metric or component by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from rumbo.metrics.samples import Sample

if TYPE_CHECKING:
    from rumbo.metrics.evaluation import Context

Direction = Literal["higher", "lower"]
# money: base currency · count · percent (0–100) · days · hours · score (1–5) ·
# points (NPS, −100…100) · per100 (per 100 deals)
Unit = Literal["money", "count", "percent", "days", "hours", "score", "points", "per100"]
Totals = Mapping[str, Decimal]
# Percent metrics are stored 0–100 (a win rate of 30 % is 30): the value that reads 100 %.
PERCENT_SCALE = 100


@dataclass(frozen=True)
class Source:
    """Rows of `model` (filtered by `where`) feed `components` for the rep in
    column `member` on the day in column `day`. Every row must add to at least
    one component (e.g. a count of the rows): a refresh of another source's
    writes keeps this source's columns of a rep-day only where one is non-zero."""

    key: str
    model: type[models.Model]
    member: str
    day: str
    components: Mapping[str, Any]
    where: Q = field(default_factory=Q)

    @property
    def day_is_timestamp(self) -> bool:
        return isinstance(self.model._meta.get_field(self.day), models.DateTimeField)


@dataclass(frozen=True)
class FirstOf:
    """The first row of each `partition` (e.g. customer) among `model` rows
    matching `where`, in `order` (e.g. close date, then id). `count_component`
    counts those first rows per rep × day; `value_component` sums their `value`."""

    key: str
    model: type[models.Model]
    member: str
    day: str
    partition: str
    order: tuple[str, ...]
    value: str
    count_component: str
    value_component: str
    where: Q = field(default_factory=Q)

    @property
    def components(self) -> tuple[str, str]:
        return (self.count_component, self.value_component)


@dataclass(frozen=True)
class Metric:
    """A figure people read. `formula` maps component totals to a value (None
    when undefined, e.g. a rate with nothing to divide by); a metric without a
    formula has `compute`, which reads the source (see evaluation.Context).

    `accumulates` must be declared (register_metric refuses a metric without
    it): True for a running total (revenue, deals won, activities), which only
    grows as the days of a period pass and adds up over people, so its target
    is per rep per month and scales with the period and the headcount; False
    for a rate, a mean, a score or a snapshot (win rate, average deal size,
    CSAT, open pipeline), whose target is the figure itself for any period or
    team. `percent_scale`: for unit "percent", the value that reads 100 %."""

    key: str
    label: Any  # a lazy translatable string
    unit: Unit
    direction: Direction
    family: Literal["quantity", "quality"]
    description: Any
    components: tuple[str, ...] = ()
    formula: Callable[[Totals], Decimal | None] | None = None
    compute: Callable[[Context], dict[Any, Decimal | None]] | None = None
    accumulates: bool | None = None
    percent_scale: int = PERCENT_SCALE
    # A rate's sample: its count, the minimum below which it is "not enough
    # data", its interval (metrics/samples.py). None for anything that is not
    # a rate over a count.
    sample: Sample | None = None

    @property
    def additive(self) -> bool:
        return self.formula is not None

    @property
    def cumulative(self) -> bool:
        """The declared `accumulates` (the name goals and forecasts read)."""
        return bool(self.accumulates)

    def period_target(self, base: Decimal, months: Decimal, headcount: int = 1) -> Decimal:
        """The target over a period of `months` months for `headcount` sellers,
        from a scorecard's `base` target: per rep per month for a running total
        (× months × headcount), the figure itself for anything else."""
        if self.accumulates:
            return base * months * max(headcount, 1)
        return base

    def fraction(self, value: Decimal) -> Decimal:
        """A percent metric's value as a fraction of one (30 → 0.3), for
        formatting; any other unit as it is."""
        if self.unit == "percent":
            return Decimal(value) / self.percent_scale
        return Decimal(value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by key (its formula is a closure): cached figures hold
        # metrics, and every process registers the same ones.
        return (_registered, (self.key,))


def _registered(key: str) -> Metric:
    return METRICS[key]


SOURCES: dict[str, Source] = {}
FIRSTS: dict[str, FirstOf] = {}
METRICS: dict[str, Metric] = {}


def _claim(key: str, taken: Mapping[str, object], what: str) -> None:
    if key in taken:
        raise ImproperlyConfigured(f"The {what} {key!r} is registered twice.")


def component_keys() -> list[str]:
    """Every registered component, in registration order."""
    keys: list[str] = []
    for source in SOURCES.values():
        keys.extend(source.components)
    for first in FIRSTS.values():
        keys.extend(first.components)
    return keys


def refreshed_by(model: type[models.Model]) -> frozenset[str] | None:
    """The sources (plain and "first of") a write to `model` can change: those
    reading `model`. None (all of them) for a model no source reads, so that an
    unknown sender is never under-refreshed."""
    found = frozenset(
        [key for key, source in SOURCES.items() if source.model is model]
        + [key for key, first in FIRSTS.items() if first.model is model]
    )
    return found or None


def register_source(source: Source) -> None:
    _claim(source.key, {**SOURCES, **FIRSTS}, "source")
    for key in source.components:
        _claim(key, dict.fromkeys(component_keys()), "component")
    SOURCES[source.key] = source


def register_first(first: FirstOf) -> None:
    """The order must be the (date) day, then the primary key: the first row
    keeps both (`FirstFact.day`, `fact_id`), which lets a refresh skip every
    partition whose first row sorts before the rows it touched."""
    day_field = first.model._meta.get_field(first.day)
    by_day = isinstance(day_field, models.DateField) and not isinstance(
        day_field, models.DateTimeField
    )
    if not by_day or first.order != (first.day, first.model._meta.pk.name):  # type: ignore[union-attr]
        raise ImproperlyConfigured(
            f"The first-of source {first.key!r} must be ordered by its date field, then its id."
        )
    _claim(first.key, {**SOURCES, **FIRSTS}, "source")
    for key in first.components:
        _claim(key, dict.fromkeys(component_keys()), "component")
    FIRSTS[first.key] = first


def register_metric(metric: Metric) -> None:
    _claim(metric.key, METRICS, "metric")
    if (metric.formula is None) == (metric.compute is None):
        raise ImproperlyConfigured(f"Metric {metric.key!r} needs a formula or a compute.")
    if metric.accumulates is None:
        raise ImproperlyConfigured(
            f"Metric {metric.key!r} must declare whether it accumulates over a period."
        )
    if metric.accumulates and not (metric.additive and len(metric.components) == 1):
        raise ImproperlyConfigured(
            f"Metric {metric.key!r} accumulates, so it must be the sum of one component."
        )
    if metric.percent_scale not in (1, PERCENT_SCALE):
        raise ImproperlyConfigured(f"Metric {metric.key!r}: percent_scale is 1 or 100.")
    known = set(component_keys())
    missing = [c for c in metric.components if c not in known]
    if missing:
        raise ImproperlyConfigured(f"Metric {metric.key!r} uses unknown components {missing}.")
    METRICS[metric.key] = metric


def get_metric(key: str) -> Metric | None:
    return METRICS.get(key)


def all_metrics() -> list[Metric]:
    return list(METRICS.values())


# Formula helpers: totals in, a Decimal (or None) out.


def total(component: str) -> Callable[[Totals], Decimal | None]:
    return lambda t: t[component]


def ratio(
    numerator: Callable[[Totals], Decimal],
    denominator: Callable[[Totals], Decimal],
    scale: int = 1,
) -> Callable[[Totals], Decimal | None]:
    """numerator ÷ denominator × scale, or None when the denominator is zero."""

    def formula(t: Totals) -> Decimal | None:
        below = denominator(t)
        if not below:
            return None
        return numerator(t) * scale / below

    return formula


def col(component: str) -> Callable[[Totals], Decimal]:
    return lambda t: t[component]
