"""A metric's figure in a dashboard cell, formatted for its unit and language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import dates
from django import template
from django.utils.html import format_html

from rumbo.dashboards.samples import NOT_ENOUGH, sample_of
from rumbo.web import formatting

register = template.Library()


@register.simple_tag(takes_context=True)
def metric_cell(context: template.Context, cell: Any) -> str:
    """The value; under a rate, its count, and a rate on too little data
    muted and titled so (samples.py)."""
    member = context.get("member")
    currency = member.organization.currency if member is not None else "EUR"
    text = formatting.metric_value(cell.value, cell.metric.unit, currency)
    count = getattr(cell, "count_text", "")
    if not count:
        return text
    if getattr(cell, "enough", True):
        return format_html('{}<span class="d-block small text-muted">{}</span>', text, count)
    return format_html(
        '<span class="text-muted" title="{}">{}</span>'
        '<span class="d-block small text-muted">{}</span>',
        NOT_ENOUGH,
        text,
        count,
    )


@register.simple_tag(takes_context=True)
def in_unit(context: template.Context, value: Any, unit: str) -> str:
    """A metric value in its unit ("percent", "points", "money" ...)."""
    member = context.get("member")
    currency = member.organization.currency if member is not None else "EUR"
    return formatting.metric_value(value, unit, currency)


@register.inclusion_tag("dashboards/_series_table.html", takes_context=True)
def series_table(context: template.Context, chart: dict[str, Any], testid: str) -> dict[str, Any]:
    """The figures a trend chart draws, as a table under it: every rate with
    its count, the ones on too little data said so, the month under way
    marked (what a reader without the chart, or a screen reader, gets)."""
    member = context.get("member")
    currency = member.organization.currency if member is not None else "EUR"
    series = chart.get("series", [])
    rows = []
    last = len(chart.get("labels", [])) - 1
    for i, label in enumerate(chart.get("labels", [])):
        month = dt.date.fromisoformat(f"{label}-01")
        cells = []
        for s in series:
            value = formatting.metric_value(s["values"][i], s.get("unit", "count"), currency)
            enough = s["enough"][i] if "enough" in s else True
            count = s["count_words"][i] if "count_words" in s else ""
            cells.append({"key": s["key"], "value": value, "count": count, "enough": enough})
        name = dates.format_date(month, "LLL y", locale=formatting.locale())
        rows.append({"month": name, "partial": chart.get("partial") and i == last,
                     "cells": cells})  # fmt: skip
    return {"series": series, "rows": rows[::-1], "testid": testid}


@register.inclusion_tag("dashboards/_honest_legend.html")
def honest_legend(chart: dict[str, Any]) -> dict[str, Any]:
    """How to read a rate chart, with each rate's minimum from samples.py."""
    needs = []
    for s in chart.get("series", []):
        sample = sample_of(s["key"])
        if sample is not None:
            needs.append(f"{s['label']}: {sample.words(sample.minimum)}")
    return {"needs": "; ".join(needs), "partial": chart.get("partial")}
