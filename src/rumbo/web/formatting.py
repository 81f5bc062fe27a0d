"""Numbers, money and dates formatted for the active language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, Protocol

from babel import Locale, dates, numbers
from django.utils import timezone, translation

LOCALES = {"en": "en_US", "es": "es_ES"}


def locale() -> str:
    return LOCALES.get((translation.get_language() or "en")[:2], "en_US")


# A dashboard formats a few hundred figures: parse each locale and pattern once
# per process, not once per figure (what format_decimal does by itself).
@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@functools.cache
def _pattern(digits: int, suffix: str) -> numbers.NumberPattern:
    return numbers.parse_pattern("#,##0" + ("." + "0" * digits if digits else "") + suffix)


def money(amount: Decimal | int | None, currency: str) -> str:
    if amount is None:
        return "—"
    return numbers.format_currency(amount, currency, locale=_locale(locale()))


def number(value: Decimal | int | float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return _pattern(digits, "").apply(value, _locale(locale()))


def percent(value: Decimal | float | None, digits: int = 1, *, scale: int = 1) -> str:
    """A share as a percentage. `scale` is the value that reads 100 %: 1 for a
    fraction (0.6 → 60 %), 100 for a figure already in percent, as metrics are
    (`percent(60, scale=100)` → 60 %; a metric's own is `Metric.percent_scale`)."""
    if value is None:
        return "—"
    share = Decimal(value) / scale if scale != 1 else value
    return _pattern(digits, " %").apply(share, _locale(locale()))


def date(value: dt.date | None) -> str:
    if value is None:
        return "—"
    return dates.format_date(value, format="medium", locale=locale())


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return dates.format_datetime(local, format="medium", locale=locale())


def any_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return translation.gettext("Yes") if value else translation.gettext("No")
    if isinstance(value, dt.datetime):
        return datetime(value)
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, Decimal):
        return number(value, 2)
    if isinstance(value, int):
        return number(value)
    return str(value)


class _Declared(Protocol):
    """What formatting reads of a registered metric (web does not import metrics)."""

    @property
    def unit(self) -> str: ...

    @property
    def percent_scale(self) -> int: ...


def metric_value(value: Decimal | float | None, metric: _Declared | str, currency: str) -> str:
    """A metric's value the way people read its unit: money, a count, a
    percentage (on the metric's declared scale: 0–100 for every registered
    one), a 1–5 score, NPS points, days, hours. `metric` is the registry's
    Metric, or a unit for a figure of no metric (percent read as 0–100)."""
    if value is None:
        return "—"
    unit = metric if isinstance(metric, str) else metric.unit
    scale = 100 if isinstance(metric, str) else metric.percent_scale
    if unit == "money":
        return money(Decimal(value).quantize(Decimal(1)), currency)
    if unit == "count":
        return number(value)
    if unit == "percent":
        return percent(value, 1, scale=scale)
    if unit == "score":
        return number(value, 2)
    return number(value, 1)
