"""Reads for sales records. Everything starts from `visible_to(member)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Subquery, Sum
from django.utils import timezone

from rumbo.metrics.cache import remember
from rumbo.sales.choices import ComplaintStatus, Outcome, SurveyKind
from rumbo.sales.models import Activity, Complaint, Deal, SurveyResponse
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
class HomeFigures:
    """The figures on a member's home page for the last 90 days (and open now).
    The page keeps them rendered under their text (dashboards/_figures.html):
    everything shown must be a field or computed from the fields."""

    since: date
    currency: str
    revenue: Decimal
    deals_won: int
    deals_lost: int
    open_deals: int
    pipeline: Decimal
    activities: int
    csat_responses: int
    csat_positive: int
    nps_responses: int
    nps_promoters: int
    nps_detractors: int
    complaints_open: int
    recent_deals: list[RecentDeal]

    @property
    def win_rate(self) -> float | None:
        closed = self.deals_won + self.deals_lost
        return self.deals_won / closed if closed else None

    @property
    def csat(self) -> float | None:
        return self.csat_positive / self.csat_responses if self.csat_responses else None

    @property
    def nps(self) -> float | None:
        if not self.nps_responses:
            return None
        return 100 * (self.nps_promoters - self.nps_detractors) / self.nps_responses


def home_figures(*, member: Member, days: int = 90, rep: Member | None = None,
                 complaints_open: int | None = None) -> HomeFigures:  # fmt: skip
    """Five queries whatever the data size, two once the closed figures are
    cached (one for a single person's records). `rep`: only that rep's
    records (a manager's drill-down), still read through `member`'s scope.
    `complaints_open`: the caller has counted the open complaints of the same
    records already."""
    since = timezone.localdate() - timedelta(days=days)

    def own(field: str) -> Q:
        return Q(**{field: rep.pk}) if rep is not None else Q()

    deals = Deal.objects.visible_to(member).filter(own("owner_id"))

    def closed_figures() -> dict[str, Any]:
        """Won and lost deals, survey answers and activities of the period: all
        rollup facts, so every write to them moves the figures version (a
        refresh follows it) and they can be kept until it moves (ADR 0007)."""
        closed = deals.filter(closed_on__gte=since).aggregate(
            revenue=Sum("amount_base", filter=Q(outcome=Outcome.WON)),
            won=Count("id", filter=Q(outcome=Outcome.WON)),
            lost=Count("id", filter=Q(outcome=Outcome.LOST)),
        )
        surveys = (
            SurveyResponse.objects.visible_to(member)
            .filter(own("rep_id"), responded_on__gte=since)
            .aggregate(
                csat_n=Count("id", filter=Q(kind=SurveyKind.CSAT)),
                csat_pos=Count("id", filter=Q(kind=SurveyKind.CSAT, score__gte=4)),
                nps_n=Count("id", filter=Q(kind=SurveyKind.NPS)),
                nps_pro=Count("id", filter=Q(kind=SurveyKind.NPS, score__gte=9)),
                nps_det=Count("id", filter=Q(kind=SurveyKind.NPS, score__lte=6)),
            )
        )
        activities = Activity.objects.visible_to(member).filter(own("owner_id"), date__gte=since)
        return {**closed, **surveys, "activities": activities.count()}

    done = remember(member, "home-closed", (since, rep.pk if rep else ""), closed_figures)
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
        open_ = deals.filter(outcome=Outcome.OPEN).aggregate(n=Count("id"),
                                                              total=Sum("amount_base"))
        open_n, open_total = open_["n"], open_["total"]
        rows = list(latest[:RECENT])
    recent = [_recent(row) for row in rows]
    if complaints_open is None:
        complaints_open = (
            Complaint.objects.visible_to(member).filter(own("rep_id"))
            .exclude(status=ComplaintStatus.RESOLVED).count()
        )  # fmt: skip
    return HomeFigures(
        since=since, currency=member.organization.currency,
        revenue=done["revenue"] or Decimal(0), deals_won=done["won"],
        deals_lost=done["lost"], open_deals=open_n or 0, pipeline=open_total or Decimal(0),
        activities=done["activities"], csat_responses=done["csat_n"],
        csat_positive=done["csat_pos"], nps_responses=done["nps_n"],
        nps_promoters=done["nps_pro"], nps_detractors=done["nps_det"],
        complaints_open=complaints_open, recent_deals=recent,
    )  # fmt: skip
