"""Template helpers: table cells, values, money and numbers per locale."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.db import models

from rumbo.web import formatting

register = template.Library()


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path, preferring `get_<field>_display` for choices."""
    value = obj
    parts = path.split(".")
    for i, part in enumerate(parts):
        if value is None:
            return None
        if i == len(parts) - 1 and isinstance(value, models.Model):
            display = getattr(value, f"get_{part}_display", None)
            if display is not None:
                return display()
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


@register.simple_tag
def cell(obj: Any, path: str) -> str:
    if path == "amount" and hasattr(obj, "currency"):
        return formatting.money(obj.amount, obj.currency)
    if path in ("amount_base", "list_price"):
        return formatting.money(resolve(obj, path), obj.organization.currency)
    return formatting.any_value(resolve(obj, path))


@register.simple_tag
def value(v: Any) -> str:
    return formatting.any_value(v)


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return formatting.money(amount, currency)


@register.filter
def number(value: Any, digits: int = 0) -> str:
    return formatting.number(value, digits)


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    return formatting.percent(value, digits)


@register.filter(name="date_l")
def date_l(value: Any) -> str:
    return formatting.date(value)
