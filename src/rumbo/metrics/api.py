"""API operations for metrics under /api/v1/metrics: the registry, and any
metric evaluated for a scope, a period and a grouping — through the caller's
access scope, like every other read."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.periods import check_period
from rumbo.metrics.selectors import Evaluation, evaluate
from rumbo.web.api_helpers import LIST_ERRORS, READ_ERRORS, actor_of

router = Router(tags=["metrics"])
DEFAULT_DAYS = 90


class MetricOut(Schema):
    key: str
    label: str
    unit: str = Field(description="money, count, percent, days, hours, score, points or per100")
    direction: Literal["higher", "lower"] = Field(description="which way is better")
    family: Literal["quantity", "quality"]
    description: str
    additive: bool = Field(description="read from rollups (else computed from the records)")


class RowOut(Schema):
    key: int | date | None = Field(
        description="member id, team id, week's Monday, month's first day, or null"
    )
    name: str
    value: Decimal | None


class EvaluationOut(Schema):
    metric: MetricOut
    scope: str
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    by: str | None
    rows: list[RowOut]


class EvaluationQuery(Schema):
    start: date | None = Field(None, alias="from", description="first day (default: 90 days ago)")
    end: date | None = Field(None, alias="to", description="last day (default: today)")
    by: Literal["rep", "team", "week", "month"] | None = None
    scope: str = Field("org", description="org, team:ID or rep:ID")


def _metric_out(metric: registry.Metric) -> MetricOut:
    return MetricOut(
        key=metric.key, label=str(metric.label), unit=metric.unit, direction=metric.direction,
        family=metric.family, description=str(metric.description), additive=metric.additive,
    )  # fmt: skip


@router.get("", operation_id="metrics_list", response={200: list[MetricOut], **LIST_ERRORS})
def list_metrics(request: HttpRequest) -> list[MetricOut]:
    """Every metric the organisation can read, with its label in the caller's language."""
    actor_of(request)
    return [_metric_out(m) for m in registry.all_metrics()]


@router.get(
    "/{key}", operation_id="metrics_retrieve", by_alias=True,
    response={200: EvaluationOut, **READ_ERRORS, 422: LIST_ERRORS[422]},
)  # fmt: skip
def read_metric(request: HttpRequest, key: str, params: Query[EvaluationQuery]) -> dict:  # type: ignore[type-arg]
    """The metric per group (rep, team, week, month, or none) over the period,
    for the members of the scope the caller may see."""
    actor = actor_of(request)
    metric = registry.get_metric(key)
    if metric is None:
        raise Http404
    end = params.end or timezone.localdate()
    check_period(start=end, end=end, first="to")  # in range before any arithmetic on it
    start = params.start or end - timedelta(days=DEFAULT_DAYS - 1)
    check_period(start=start, end=end, group_by=params.by)
    try:
        scope = Scope.parse(params.scope)
    except ValueError as exc:
        raise ValidationError({"scope": _("Use org, team:ID or rep:ID.")}) from exc
    result: Evaluation = evaluate(actor=actor, metric=metric, scope=scope, start=start, end=end,
                                  group_by=params.by)  # fmt: skip
    return {
        "metric": _metric_out(metric), "scope": params.scope, "from": start, "to": end,
        "by": params.by,
        "rows": [{"key": row.key, "name": row.name, "value": row.value} for row in result.rows],
    }  # fmt: skip
