"""Repeat business metrics that do not add up over days (docs/care.md, "Metrics"),
computed from the won deals through the evaluation context:

- second-purchase rate: of the customers whose first won deal falls in the
  period (for that deal's owner, on its close date), the share (%) with
  another won deal within N days of it (N: RUMBO_SECOND_PURCHASE_DAYS, 90);
- time to second purchase: for the customers whose second won deal falls in
  the period (for that deal's owner, on its close date), the mean days since
  their first.

"First" and "second" are by close date, then record number, over all the
organisation's won deals, as for new customers: whether a customer bought
again is a fact about the customer, whoever sold it. The deals counted are
those the asker sees in the scope. Two queries per bucket."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings

from rumbo.metrics.evaluation import Context
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal


def window_days() -> int:
    return int(getattr(settings, "RUMBO_SECOND_PURCHASE_DAYS", 90))


Purchases = dict[int, list[tuple[dt.date, int]]]


def _purchases(ctx: Context, customers: set[int], until: dt.date) -> Purchases:
    """Each customer's won deals up to `until`, in order: (close day, id)."""
    found: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    rows = Deal.objects.filter(
        organization_id=ctx.actor.organization_id, outcome=Outcome.WON,
        customer_id__in=customers, closed_on__lte=until,
    ).values_list("customer_id", "closed_on", "id")  # fmt: skip
    for customer_id, closed_on, deal_id in rows:
        if customer_id is not None and closed_on is not None:
            found[customer_id].append((closed_on, deal_id))
    for deals in found.values():
        deals.sort()
    return found


def _in_bucket(ctx: Context, start: dt.date, end: dt.date) -> list[tuple[Any, int, dt.date, int]]:
    """The won deals of the scope in [start, end] the asker sees: (group, id, day, customer)."""
    group = ctx.group_field("owner")
    fields = ["id", "closed_on", "customer_id"] + ([group] if group else [])
    rows = (
        ctx.records(Deal, "owner")
        .filter(outcome=Outcome.WON, customer__isnull=False,
                closed_on__gte=start, closed_on__lte=end)
        .values_list(*fields)
    )  # fmt: skip
    return [(row[3] if group else None, row[0], row[1], row[2]) for row in rows]


def _result(ctx: Context, key: Any, groups: dict[Any, list[Decimal]], out: dict[Any, Any],
            mean: bool) -> None:  # fmt: skip
    by_group = ctx.group_field("owner") is not None
    for group, values in groups.items():
        if not values:
            continue
        total = sum(values, Decimal(0))
        value = total / len(values) if mean else Decimal(100) * total / len(values)
        out[group if by_group else key] = value
    if not by_group and key not in out:
        out[key] = None


def second_purchase_rate(ctx: Context) -> dict[Any, Decimal | None]:
    days = dt.timedelta(days=window_days())
    out: dict[Any, Decimal | None] = {}
    for bucket in ctx.buckets:
        deals = _in_bucket(ctx, bucket.start, bucket.end)
        history = _purchases(ctx, {c for *_x, c in deals}, bucket.end + days)
        groups: dict[Any, list[Decimal]] = defaultdict(list)
        for group, deal_id, day, customer in deals:
            mine = history.get(customer, [])
            if not mine or mine[0] != (day, deal_id):
                continue  # not the customer's first purchase
            again = len(mine) > 1 and mine[1][0] <= day + days
            groups[group].append(Decimal(int(again)))
        _result(ctx, bucket.key, groups, out, mean=False)
    return out


def time_to_second_purchase(ctx: Context) -> dict[Any, Decimal | None]:
    out: dict[Any, Decimal | None] = {}
    for bucket in ctx.buckets:
        deals = _in_bucket(ctx, bucket.start, bucket.end)
        history = _purchases(ctx, {c for *_x, c in deals}, bucket.end)
        groups: dict[Any, list[Decimal]] = defaultdict(list)
        for group, deal_id, day, customer in deals:
            mine = history.get(customer, [])
            if len(mine) > 1 and mine[1] == (day, deal_id):
                groups[group].append(Decimal((day - mine[0][0]).days))
        _result(ctx, bucket.key, groups, out, mean=True)
    return out
