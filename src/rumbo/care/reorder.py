"""Reorder and repeat business (issue 18, item 2).

Each customer's typical interval between purchases is the median of the gaps
between the days of their won deals (two deals won the same day are one
purchase), once they have at least two gaps; otherwise the median of the gaps
of their segment's customers, then of the whole organisation's (each needing
two gaps too). When that interval has passed since the customer's last won
deal, the daily job raises a "reorder" follow-up for the customer's owner —
once per purchase: not while a reorder follow-up is open, nor again after one
was raised since the last purchase. A customer whose interval has passed twice
over is lapsed, not due to reorder: the job leaves them alone (the at-risk
lists do not).

Set-based: one pass over the organisation's won deals, a handful of queries."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import translation

from rumbo.care import choices
from rumbo.care.models import FollowUp
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Customer, Deal
from rumbo.tenancy.models import Member, Organization

MIN_GAPS = 2
CHUNK = 2000
# One-time buyers are worth a second call once their purchase is this old.
SECOND_CALL_AFTER_DAYS = 60


def gaps(days: Iterable[dt.date]) -> list[int]:
    """Days between consecutive purchase days (same-day deals are one purchase)."""
    ordered = sorted(set(days))
    return [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]


def median_gap(found: Sequence[int]) -> float | None:
    """The median of `found`, or None with fewer than MIN_GAPS gaps."""
    return float(statistics.median(found)) if len(found) >= MIN_GAPS else None


@dataclass(frozen=True)
class Interval:
    customer_id: int
    days: float
    basis: str  # "customer", "segment" or "organization"
    last_won: dt.date
    last_deal_id: int
    last_owner_id: int


def intervals(organization_id: int) -> dict[int, Interval]:
    """Each customer with a won deal: their typical interval, where it came
    from, and their last won deal. Customers with no interval at any level
    (an organisation with too little history) are left out."""
    days: dict[int, list[dt.date]] = defaultdict(list)
    last: dict[int, tuple[dt.date, int, int]] = {}
    rows = (
        Deal.objects.filter(organization_id=organization_id, outcome=Outcome.WON,
                            customer__isnull=False, closed_on__isnull=False)
        .values_list("customer_id", "closed_on", "id", "owner_id").order_by()
    )  # fmt: skip
    for customer_id, closed_on, deal_id, owner_id in rows.iterator(chunk_size=CHUNK):
        assert closed_on is not None  # filtered above
        days[customer_id].append(closed_on)
        if customer_id not in last or (closed_on, deal_id) > last[customer_id][:2]:
            last[customer_id] = (closed_on, deal_id, owner_id)
    segments = dict(
        Customer.objects.filter(organization_id=organization_id, pk__in=list(days))
        .values_list("id", "segment")
    )  # fmt: skip
    own = {c: gaps(d) for c, d in days.items()}
    pooled: dict[str, list[int]] = defaultdict(list)
    for customer_id, found in own.items():
        pooled[_segment(segments.get(customer_id, ""))].extend(found)
    everyone = median_gap([g for found in own.values() for g in found])
    by_segment = {seg: median_gap(found) for seg, found in pooled.items() if seg}
    out: dict[int, Interval] = {}
    for customer_id, found in own.items():
        value, basis = median_gap(found), "customer"
        if value is None:
            value, basis = by_segment.get(_segment(segments.get(customer_id, ""))), "segment"
        if value is None:
            value, basis = everyone, "organization"
        if value is None or value <= 0:
            continue
        won, deal_id, owner_id = last[customer_id]
        out[customer_id] = Interval(customer_id, value, basis, won, deal_id, owner_id)
    return out


def _segment(text: str) -> str:
    return (text or "").strip().casefold()


def due(found: dict[int, Interval], today: dt.date) -> list[Interval]:
    """Customers whose interval has passed since their last purchase, but not twice over."""
    out = []
    for item in found.values():
        passed = (today - item.last_won).days
        if item.days <= passed < 2 * item.days:
            out.append(item)
    return out


def raise_reorders(organization: Organization, today: dt.date) -> int:
    """Raise the reorder follow-ups due on `today`; returns how many. Running
    it twice the same day (or the next) raises nothing more."""
    candidates = due(intervals(organization.pk), today)
    if not candidates:
        return 0
    ids = [c.customer_id for c in candidates]
    owners: dict[int, int | None] = {}
    blocked: set[int] = set()
    since = {c.customer_id: c.last_won for c in candidates}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        owners.update(Customer.objects.filter(pk__in=chunk).values_list("id", "owner_id"))
        existing = FollowUp.objects.filter(
            organization_id=organization.pk, customer_id__in=chunk, kind=choices.StepKind.REORDER,
        ).filter(Q(status=choices.Status.OPEN) | Q(step__isnull=True))  # fmt: skip
        for customer_id, status, due_on in existing.values_list("customer_id", "status", "due_on"):
            if status == choices.Status.OPEN or due_on > since[customer_id]:
                blocked.add(customer_id)
    active = set(Member.objects.filter(organization_id=organization.pk, is_active=True)
                 .values_list("id", flat=True))  # fmt: skip
    with translation.override(organization.language):
        title = str(choices.StepKind.REORDER.label)
    created = []
    for item in candidates:
        if item.customer_id in blocked:
            continue
        owner = owners.get(item.customer_id)
        if owner not in active:
            owner = item.last_owner_id
        created.append(FollowUp(
            organization_id=organization.pk, owner_id=owner, customer_id=item.customer_id,
            deal_id=item.last_deal_id, kind=choices.StepKind.REORDER, title=title, due_on=today,
        ))  # fmt: skip
    with transaction.atomic():
        for start in range(0, len(created), CHUNK):
            FollowUp.objects.bulk_create(created[start : start + CHUNK])
    return len(created)


def one_time_buyers(member: Member, today: dt.date, *, older_than: int = SECOND_CALL_AFTER_DAYS,
                    mine: bool = True, limit: int = 10) -> QuerySet[Customer]:  # fmt: skip
    """Customers with exactly one won deal, closed more than `older_than` days
    before `today`, biggest purchase first: one-time buyers worth a second
    call. The member's own customers (or all they may see), through `visible_to`.
    Each carries `won_on` and `won_amount` (its one deal's close day and base amount)."""
    won = Q(deals__outcome=Outcome.WON, deals__closed_on__isnull=False)
    base = Customer.objects.visible_to(member)
    if mine:
        base = base.filter(owner=member)
    qs: Any = (
        base.annotate(won_deals=Count("deals", filter=won),
                    won_on=Max("deals__closed_on", filter=won),
                    won_amount=Max("deals__amount_base", filter=won))
        .filter(won_deals=1, won_on__lt=today - dt.timedelta(days=older_than))
        .order_by("-won_amount", "name", "id")
    )  # fmt: skip
    return qs[:limit]


def reorder_all(today_of: Any) -> int:
    """Every organisation's reorders on its own today (`today_of(org)`)."""
    return sum(raise_reorders(org, today_of(org)) for org in Organization.objects.all())
