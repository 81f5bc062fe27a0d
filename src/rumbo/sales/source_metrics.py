"""Sales metrics that do not add up over days or reps, so they are computed from
the deals themselves (through the evaluation context, hence `visible_to`):
the open pipeline (a snapshot) and customer retention (distinct customers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from rumbo.metrics.evaluation import Context
from rumbo.sales import money
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal


def pipeline_value(ctx: Context) -> dict[Any, Decimal | None]:
    """Amount (base currency, at the rates of the bucket's end) of the deals open
    at the end of each bucket: created on or before it and not closed by then.
    One query per bucket."""
    result: dict[Any, Decimal | None] = {}
    group = ctx.group_field("owner")
    for bucket in ctx.buckets:
        # A deal of unknown creation date (ADR 0015) counts as open since before.
        deals = ctx.records(Deal, "owner").filter(
            Q(created_on__lte=bucket.end) | Q(created_on__isnull=True)
        )
        deals = deals.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=bucket.end))
        # A past period's pipeline at that period's rates (ADR 0013).
        value = Sum(money.value_on(ctx.actor.organization, bucket.end))
        if group is None:
            total = deals.aggregate(v=value)["v"]
            result[bucket.key] = total or Decimal(0)
            continue
        for row in deals.values(group).annotate(v=value).order_by():
            result[row[group]] = row["v"] or Decimal(0)
    return result


def retention(ctx: Context) -> dict[Any, Decimal | None]:
    """Of the customers with a won deal in the period before each bucket, the
    share (%) with a won deal in the bucket. Grouped by rep or team, a customer
    counts for the rep (team) that won it before and is retained when the same
    rep (team) wins it again. One query per bucket."""
    result: dict[Any, Decimal | None] = {}
    group = ctx.group_field("owner")
    won = ctx.records(Deal, "owner").filter(outcome=Outcome.WON, customer__isnull=False)
    for bucket in ctx.buckets:
        before_start, before_end = bucket.previous()
        again = won.filter(
            customer_id=OuterRef("customer_id"),
            closed_on__gte=bucket.start, closed_on__lte=bucket.end,
        )  # fmt: skip
        if group is not None:
            again = again.filter(**{group: OuterRef(group)})
        base = won.filter(closed_on__gte=before_start, closed_on__lte=before_end)
        base = base.annotate(kept=Exists(again))
        counts = {
            "n": Count("customer_id", distinct=True),
            "k": Count("customer_id", distinct=True, filter=Q(kept=True)),
        }
        if group is None:
            row = base.aggregate(**counts)
            result[bucket.key] = _share(row["k"], row["n"])
            continue
        for row in base.values(group).annotate(**counts).order_by():
            result[row[group]] = _share(row["k"], row["n"])
    return result


def _share(kept: int, base: int) -> Decimal | None:
    return Decimal(100) * kept / base if base else None
