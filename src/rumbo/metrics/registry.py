"""The metric registry. Apps register, in their AppConfig.ready():

- sources: a fact table whose rows are attributed to a rep (a Member column)
  on a day (a date column, or a timestamp read as a date in the organisation's
  time zone), with the additive components computed from it as ORM aggregates
  (`Sum`, `Count` with filters) per rep × day;
- "first of" sources: the first fact of each partition in a fixed order (a
  customer's first won deal), kept in `FirstFact` so that "first" and "repeat"
  do not depend on the order in which the rows arrived;
- metrics: a key, a translatable label, a unit, a direction, and either a
  formula over component totals (additive, read from rollups) or a `compute`
  function reading the source for figures that do not add up (snapshots,
  distinct counts).

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

if TYPE_CHECKING:
    from rumbo.metrics.evaluation import Context

Direction = Literal["higher", "lower"]
# money: base currency · count · percent (0–100) · days · hours · score (1–5) ·
# points (NPS, −100…100) · per100 (per 100 deals)
Unit = Literal["money", "count", "percent", "days", "hours", "score", "points", "per100"]
Totals = Mapping[str, Decimal]


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
    formula has `compute`, which reads the source (see evaluation.Context)."""

    key: str
    label: Any  # a lazy translatable string
    unit: Unit
    direction: Direction
    family: Literal["quantity", "quality"]
    description: Any
    components: tuple[str, ...] = ()
    formula: Callable[[Totals], Decimal | None] | None = None
    compute: Callable[[Context], dict[Any, Decimal | None]] | None = None

    @property
    def additive(self) -> bool:
        return self.formula is not None

    @property
    def cumulative(self) -> bool:
        """A running total (revenue, deals won, activities): its value over a
        period is one component's sum, so it only grows as days pass and a
        team's target splits among its members. Anything else is a rate."""
        return self.additive and len(self.components) == 1

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
