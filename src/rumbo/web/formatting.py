"""Numbers, money and dates formatted for the active language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

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


def percent(value: Decimal | float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return _pattern(digits, " %").apply(value, _locale(locale()))


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


def metric_value(value: Decimal | float | None, unit: str, currency: str) -> str:
    """A metric's value the way people read its unit: money, a count, a
    percentage (stored 0–100), a 1–5 score, NPS points, days, hours."""
    if value is None:
        return "—"
    if unit == "money":
        return money(Decimal(value).quantize(Decimal(1)), currency)
    if unit == "count":
        return number(value)
    if unit == "percent":
        return number(value, 1) + " %"
    if unit == "score":
        return number(value, 2)
    return number(value, 1)
