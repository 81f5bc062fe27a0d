"""What the sales records feed into the metrics engine: four sources (deals,
activities, survey responses, complaints), the first won deal of each customer,
and the metrics of docs/metrics.md built on them. Loaded by SalesConfig.ready().

Translators: the Spanish labels are in docs/metrics.md (e.g. Revenue → Ingresos)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, FloatField, Q, Sum, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from rumbo.metrics import registry as r
from rumbo.metrics.receivers import facts_changed_receiver
from rumbo.metrics.samples import MIN_CLOSED, MIN_RESPONSES, MIN_WON, Sample, counts
from rumbo.metrics.sql import DaysBetween, HoursBetween
from rumbo.sales import source_metrics
from rumbo.sales.choices import ComplaintStatus, Outcome, Severity, SurveyKind
from rumbo.sales.models import Activity, Complaint, Deal, SurveyResponse
from rumbo.sales.signals import facts_changed

# Hours a complaint may take to be resolved, by severity (`sla_met`). Override
# with RUMBO_COMPLAINT_TARGET_HOURS in settings; rebuild the rollups after a change.
DEFAULT_TARGET_HOURS = {
    Severity.CRITICAL: 8, Severity.HIGH: 24, Severity.MEDIUM: 72, Severity.LOW: 120,
}  # fmt: skip


def target_hours() -> dict[str, int]:
    return {**DEFAULT_TARGET_HOURS, **getattr(settings, "RUMBO_COMPLAINT_TARGET_HOURS", {})}


def _target_case() -> Case:
    whens = [When(severity=severity, then=Value(float(hours)))
             for severity, hours in target_hours().items()]  # fmt: skip
    return Case(*whens, default=Value(float(DEFAULT_TARGET_HOURS[Severity.MEDIUM])),
                output_field=FloatField())  # fmt: skip


WON = Q(outcome=Outcome.WON)
DATED_WON = WON & Q(created_on__isnull=False)
CSAT = Q(kind=SurveyKind.CSAT)
NPS = Q(kind=SurveyKind.NPS)
RESOLVED = Q(status=ComplaintStatus.RESOLVED, resolved_at__isnull=False)


def register() -> None:
    r.register_source(r.Source(
        key="deals", model=Deal, member="owner_id", day="closed_on",
        where=Q(outcome__in=[Outcome.WON, Outcome.LOST], closed_on__isnull=False),
        components={
            "won_amount": Sum("amount_base", filter=WON),
            "deals_won": Count("id", filter=WON),
            "deals_lost": Count("id", filter=Q(outcome=Outcome.LOST)),
            # Only won deals with a creation date have a cycle (ADR 0015): an
            # import without one leaves it empty rather than reading 0 days.
            "cycle_days_sum": Sum(DaysBetween("created_on", "closed_on"), filter=DATED_WON),
            "cycle_deals": Count("id", filter=DATED_WON),
        },
    ))  # fmt: skip
    r.register_first(r.FirstOf(
        key="first_purchases", model=Deal, member="owner_id", day="closed_on",
        partition="customer_id", order=("closed_on", "id"), value="amount_base",
        where=WON & Q(closed_on__isnull=False),
        count_component="first_purchases", value_component="first_amount",
    ))  # fmt: skip
    r.register_source(r.Source(
        key="activities", model=Activity, member="owner_id", day="date",
        components={"activities": Count("id")},
    ))  # fmt: skip
    r.register_source(r.Source(
        key="surveys", model=SurveyResponse, member="rep_id", day="responded_on",
        components={
            "csat_responses": Count("id", filter=CSAT),
            "csat_positive": Count("id", filter=CSAT & Q(score__gte=4)),
            "csat_score_sum": Sum("score", filter=CSAT),
            "nps_responses": Count("id", filter=NPS),
            "nps_promoters": Count("id", filter=NPS & Q(score__gte=9)),
            "nps_detractors": Count("id", filter=NPS & Q(score__lte=6)),
        },
    ))  # fmt: skip
    within = LessThanOrEqual(HoursBetween("opened_at", "resolved_at"), _target_case())
    r.register_source(r.Source(
        key="complaints", model=Complaint, member="rep_id", day="opened_at",
        components={
            "complaints_opened": Count("id"),
            "complaints_resolved": Count("id", filter=RESOLVED),
            "resolution_hours_sum": Sum(HoursBetween("opened_at", "resolved_at"),
                                        filter=RESOLVED),
            "complaints_in_sla": Count("id", filter=RESOLVED & Q(within)),
        },
    ))  # fmt: skip
    for metric in METRICS:
        r.register_metric(metric)
    # Writes of sales facts (services, imports) queue their keys for a refresh.
    facts_changed.connect(facts_changed_receiver, dispatch_uid="metrics.facts_changed")


def _repeat(total: str, first: str) -> Any:
    return lambda t: t[total] - t[first]


def _nps_net(t: r.Totals) -> Decimal:
    return t["nps_promoters"] - t["nps_detractors"]


METRICS = [
    # Quantity.
    r.Metric(
        key="revenue",
        label=_("Revenue"),
        unit="money",
        direction="higher",
        accumulates=True,
        family="quantity",
        description=_("Sum of won deals' amounts in the base currency."),
        components=("won_amount",),
        formula=r.total("won_amount"),
    ),
    r.Metric(
        key="deals_won",
        label=_("Deals won"),
        unit="count",
        direction="higher",
        accumulates=True,
        family="quantity",
        description=_("Number of won deals."),
        components=("deals_won",),
        formula=r.total("deals_won"),
    ),
    r.Metric(
        key="deals_lost",
        label=_("Deals lost"),
        unit="count",
        direction="lower",
        accumulates=True,
        family="quantity",
        description=_("Number of lost deals."),
        components=("deals_lost",),
        formula=r.total("deals_lost"),
    ),
    r.Metric(
        key="win_rate",
        label=_("Win rate"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quantity",
        description=_("Won deals ÷ won and lost deals."),
        components=("deals_won", "deals_lost"),
        formula=r.ratio(r.col("deals_won"), lambda t: t["deals_won"] + t["deals_lost"], 100),
        sample=Sample(
            lambda t: t["deals_won"] + t["deals_lost"],
            MIN_CLOSED,
            "closed",
            "wilson",
            counts("deals_won"),
        ),  # fmt: skip
    ),
    r.Metric(
        key="avg_deal_size",
        label=_("Average deal size"),
        unit="money",
        direction="higher",
        accumulates=False,
        family="quantity",
        description=_("Revenue ÷ won deals."),
        components=("won_amount", "deals_won"),
        formula=r.ratio(r.col("won_amount"), r.col("deals_won")),
    ),
    r.Metric(
        key="sales_cycle_days",
        label=_("Sales cycle (days)"),
        unit="days",
        direction="lower",
        accumulates=False,
        family="quantity",
        description=_("Mean days from creation to close of won deals of known creation date."),
        components=("cycle_days_sum", "cycle_deals"),
        formula=r.ratio(r.col("cycle_days_sum"), r.col("cycle_deals")),
    ),
    r.Metric(
        key="pipeline_value",
        label=_("Open pipeline"),
        unit="money",
        direction="higher",
        accumulates=False,
        family="quantity",
        description=_("Amount of the deals open at the end of the period (a snapshot)."),
        compute=source_metrics.pipeline_value,
    ),
    r.Metric(
        key="activities",
        label=_("Customer activities"),
        unit="count",
        direction="higher",
        accumulates=True,
        family="quantity",
        description=_("Calls, meetings, visits, emails and check-ins."),
        components=("activities",),
        formula=r.total("activities"),
    ),
    r.Metric(
        key="new_customers",
        label=_("New customers"),
        unit="count",
        direction="higher",
        accumulates=True,
        family="quantity",
        description=_("Customers whose first won deal falls in the period."),
        components=("first_purchases",),
        formula=r.total("first_purchases"),
    ),
    # Quality.
    r.Metric(
        key="repeat_rate",
        label=_("Repeat purchase rate"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Won deals whose customer already had an earlier won deal ÷ won deals."),
        components=("deals_won", "first_purchases"),
        formula=r.ratio(_repeat("deals_won", "first_purchases"), r.col("deals_won"), 100),
        sample=Sample(
            counts("deals_won"),
            MIN_WON,
            "won",
            "wilson",
            lambda t: t["deals_won"] - t["first_purchases"],
        ),  # fmt: skip
    ),
    r.Metric(
        key="repeat_revenue_share",
        label=_("Repeat revenue share"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Revenue from repeat deals ÷ revenue."),
        components=("won_amount", "first_amount"),
        formula=r.ratio(_repeat("won_amount", "first_amount"), r.col("won_amount"), 100),
    ),
    r.Metric(
        key="retention",
        label=_("Customer retention"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_(
            "Customers with a won deal in the previous period who buy again in "
            "this one ÷ those customers."
        ),
        compute=source_metrics.retention,
    ),  # fmt: skip
    r.Metric(
        key="csat",
        label=_("CSAT"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Responses scoring 4–5 on the 1–5 scale ÷ responses × 100."),
        components=("csat_positive", "csat_responses"),
        formula=r.ratio(r.col("csat_positive"), r.col("csat_responses"), 100),
        sample=Sample(
            counts("csat_responses"), MIN_RESPONSES, "responses", "wilson", counts("csat_positive")
        ),  # fmt: skip
    ),
    r.Metric(
        key="avg_satisfaction",
        label=_("Average satisfaction"),
        unit="score",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Mean score on the 1–5 scale."),
        components=("csat_score_sum", "csat_responses"),
        formula=r.ratio(r.col("csat_score_sum"), r.col("csat_responses")),
        sample=Sample(counts("csat_responses"), MIN_RESPONSES, "responses"),
    ),
    r.Metric(
        key="nps",
        label=_("NPS"),
        unit="points",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("% promoters (9–10) − % detractors (0–6), from −100 to 100."),
        components=("nps_promoters", "nps_detractors", "nps_responses"),
        formula=r.ratio(_nps_net, r.col("nps_responses"), 100),
        sample=Sample(counts("nps_responses"), MIN_RESPONSES, "responses", "nps"),
    ),
    r.Metric(
        key="complaint_rate",
        label=_("Complaints per 100 deals"),
        unit="per100",
        direction="lower",
        accumulates=False,
        family="quality",
        description=_("Complaints opened ÷ deals won × 100."),
        components=("complaints_opened", "deals_won"),
        formula=r.ratio(r.col("complaints_opened"), r.col("deals_won"), 100),
        sample=Sample(counts("deals_won"), MIN_WON, "won"),
    ),
    r.Metric(
        key="resolution_hours",
        label=_("Complaint resolution time"),
        unit="hours",
        direction="lower",
        accumulates=False,
        family="quality",
        description=_("Mean hours from opening to resolution of resolved complaints."),
        components=("resolution_hours_sum", "complaints_resolved"),
        formula=r.ratio(r.col("resolution_hours_sum"), r.col("complaints_resolved")),
    ),
    r.Metric(
        key="sla_met",
        label=_("Resolved within target"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_(
            "Complaints resolved within their severity's target time ÷ complaints resolved."
        ),
        components=("complaints_in_sla", "complaints_resolved"),
        formula=r.ratio(r.col("complaints_in_sla"), r.col("complaints_resolved"), 100),
    ),  # fmt: skip
]
