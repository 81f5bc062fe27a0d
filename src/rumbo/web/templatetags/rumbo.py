"""Template helpers: table cells, values, money and numbers per locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import dates
from django import template
from django.db import models
from django.utils import timezone

from rumbo.web import formatting, panels
from rumbo.web.access import access

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


@register.simple_tag(takes_context=True)
def cell(context: template.Context, obj: Any, column: Any) -> str:
    """A table cell: a column (or a bare field path) of `obj`, money per locale."""
    path = getattr(column, "path", column)
    kind = getattr(column, "money", "")
    if kind:
        base = context.get("base_currency") or obj.organization.currency
        currency = base if kind == "base" else getattr(obj, "currency", base)
        return formatting.money(resolve(obj, path), currency)
    value = resolve(obj, path)
    if isinstance(value, dt.datetime):
        return short_datetime(value)
    return formatting.any_value(value)


def short_datetime(value: dt.datetime) -> str:
    """Date and time to the minute: seconds are noise in a table."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = formatting.locale()
    date_text = dates.format_date(local.date(), format="medium", locale=locale)
    return f"{date_text}, {dates.format_time(local.time(), format='short', locale=locale)}"


@register.filter
def detail_url(obj: Any) -> str:
    return panels.detail_url(obj)


@register.filter
def url_for_reader(obj: Any, member: Any) -> str:
    """The detail page of `obj` if `member` may open it, else "": a record
    they cannot open is named without a link (ADR 0011)."""
    if obj is None or member is None or not access().is_visible(member, obj):
        return ""
    return panels.detail_url(obj)


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


@register.simple_tag
def filter_groups(filterset: Any) -> dict[str, Any]:
    """Split a filter form into the filters always shown (the filterset's
    `primary` names, else the first four) and the rest, folded away unless used."""
    form = filterset.form
    names = list(form.fields)
    primary = getattr(filterset, "primary", None) or names[:4]
    data = filterset.data or {}
    shown = [form[name] for name in names if name in primary]
    more = [form[name] for name in names if name not in primary]
    active = sum(1 for bound in more if data.get(bound.name))
    return {"primary": shown, "more": more, "more_active": active}


@register.filter
def pick(form: Any, names: str) -> list[Any]:
    """Bound fields of `form` by comma-separated names, for forms laid out in sections."""
    return [form[name.strip()] for name in names.split(",") if name.strip() in form.fields]
