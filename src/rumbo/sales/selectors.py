"""Reads for sales records. Everything starts from `visible_to(member)`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum

from rumbo.metrics import registry
from rumbo.sales.choices import ComplaintStatus, Outcome
from rumbo.sales.models import Complaint, Deal
from rumbo.tenancy.models import Member, Role

RECENT = 8  # latest deals on the home page
# What the home page shows of each of them: read as values, not models (a page
# everyone opens first; the row of a deal, its customer and its owner is wide).
RECENT_FIELDS = ("id", "name", "outcome", "amount", "currency", "customer__name", "owner__name")


@dataclass(frozen=True)
class RecentDeal:
    """One of the latest deals. The home page keeps its list rendered under the
    list's text (dashboards/_recent.html): everything shown must be a field."""

    id: int
    name: str
    outcome: str
    amount: Decimal
    currency: str
    customer: str | None
    owner: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


def _recent(row: dict[str, Any]) -> RecentDeal:
    return RecentDeal(row["id"], row["name"], row["outcome"], row["amount"], row["currency"],
                      row["customer__name"], row["owner__name"])  # fmt: skip


@dataclass(frozen=True)
class HomeRecords:
    """What is open now on a member's home page, and the latest deals: records,
    not figures of a period (those come from the metrics, see
    dashboards/cards.py). The page keeps them rendered under their text
    (dashboards/_figures.html): everything shown must be a field."""

    open_deals: int
    pipeline: Decimal
    complaints_open: int
    recent_deals: list[RecentDeal]


def home_records(*, member: Member, rep: Member | None = None,
                 complaints_open: int | None = None) -> HomeRecords:  # fmt: skip
    """Open deals, open complaints and the latest deals: two or three queries
    whatever the data size (one for a single person's deals). `rep`: only that
    rep's records (a manager's drill-down), still read through `member`'s
    scope. `complaints_open`: the caller has counted the open complaints of the
    same records already."""

    def own(field: str) -> Q:
        return Q(**{field: rep.pk}) if rep is not None else Q()

    deals = Deal.objects.visible_to(member).filter(own("owner_id"))
    # Open deals and complaints change without a rollup refresh: always read.
    latest = deals.order_by("-created_on", "-id").values(*RECENT_FIELDS)
    if rep is not None or member.role == Role.REP:
        # One person's deals: the open totals ride along with the latest deals
        # as two uncorrelated subqueries (each computed once by the database),
        # one round trip fewer on the page everyone opens first.
        by_org = deals.filter(outcome=Outcome.OPEN).order_by().values("organization_id")
        rows = list(latest.annotate(
            open_n=Subquery(by_org.annotate(n=Count("id")).values("n")),
            open_total=Subquery(by_org.annotate(t=Sum("amount_base")).values("t")),
        )[:RECENT])  # fmt: skip
        open_n = rows[0]["open_n"] if rows else 0
        open_total = rows[0]["open_total"] if rows else None
    else:
        open_ = deals.filter(outcome=Outcome.OPEN).aggregate(
            n=Count("id"), total=Sum("amount_base")
        )
        open_n, open_total = open_["n"], open_["total"]
        rows = list(latest[:RECENT])
    recent = [_recent(row) for row in rows]
    if complaints_open is None:
        complaints_open = (
            Complaint.objects.visible_to(member).filter(own("rep_id"))
            .exclude(status=ComplaintStatus.RESOLVED).count()
        )  # fmt: skip
    return HomeRecords(
        open_deals=open_n or 0,
        pipeline=open_total or Decimal(0),
        complaints_open=complaints_open,
        recent_deals=recent,
    )


def registered_figures(queryset: QuerySet[Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The registered metrics `keys` (and, under "totals", their components)
    over the rows of `queryset`, read straight
    from the records (a customer's or a filtered list's, all time): the
    components come from the metric source registered for the queryset's model
    and each value from the metric's own formula, so a detail page's CSAT is
    the dashboards' CSAT by definition. One query."""
    metrics = [m for m in (registry.get_metric(k) for k in keys) if m and m.formula]
    needed = {c for m in metrics for c in m.components}
    source = next(s for s in registry.SOURCES.values()
                  if s.model is queryset.model and needed <= set(s.components))  # fmt: skip
    found = queryset.filter(source.where).aggregate(
        **{f"c_{c}": source.components[c] for c in sorted(needed)}
    )
    totals = {c: Decimal(found[f"c_{c}"] or 0) for c in needed}
    values = {m.key: m.formula(totals) for m in metrics if m.formula is not None}
    return {**values, "totals": totals}  # the components too: a rate shows its count
