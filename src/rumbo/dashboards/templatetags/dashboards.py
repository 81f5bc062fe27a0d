"""A metric's figure in a dashboard cell, formatted for its unit and language."""

from __future__ import annotations

from typing import Any

from django import template

from rumbo.web import formatting

register = template.Library()


@register.simple_tag(takes_context=True)
def metric_cell(context: template.Context, cell: Any) -> str:
    member = context.get("member")
    currency = member.organization.currency if member is not None else "EUR"
    return formatting.metric_value(cell.value, cell.metric.unit, currency)


@register.simple_tag(takes_context=True)
def in_unit(context: template.Context, value: Any, unit: str) -> str:
    """A metric value in its unit ("percent", "points", "money" ...)."""
    member = context.get("member")
    currency = member.organization.currency if member is not None else "EUR"
    return formatting.metric_value(value, unit, currency)
