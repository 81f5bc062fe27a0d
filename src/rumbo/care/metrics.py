"""What customer care feeds into the metrics engine (docs/care.md, "Metrics"):

- follow-ups done, and done by their due date, for the member they are
  assigned to on the day they were done (cancelled and open ones count
  nowhere): "Follow-ups done on time";
- won deals with at least one follow-up done, for the deal's owner on its
  close date: "Won deals followed up" (÷ deals won).

Loaded by CareConfig.ready(). A write of follow-ups tells the engine which
keys it touched with `send_changed` (the sales signal `facts_changed`, sender
FollowUp, for the on-time figures; the coverage rows sit on the deal's key)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from rumbo.care import choices, second_purchase
from rumbo.care.models import FollowUp
from rumbo.metrics import registry as r
from rumbo.metrics.samples import MIN_RESPONSES, MIN_WON, Sample, counts
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal
from rumbo.sales.signals import facts_changed

DONE = Q(status=choices.Status.DONE, done_on__isnull=False)
# Ten follow-ups done, as ten survey answers: below that, "not enough data yet".
MIN_FOLLOW_UPS = MIN_RESPONSES
COVERAGE_SOURCE = "care_coverage"


def _followed() -> Exists:
    return Exists(FollowUp.objects.filter(DONE, deal_id=OuterRef("pk")))


def register() -> None:
    r.register_source(r.Source(
        key="care_follow_ups", model=FollowUp, member="owner_id", day="done_on", where=DONE,
        components={
            "followups_done": Count("id"),
            "followups_on_time": Count("id", filter=Q(done_on__lte=F("due_on"))),
        },
    ))  # fmt: skip
    r.register_source(r.Source(
        key=COVERAGE_SOURCE, model=Deal, member="owner_id", day="closed_on",
        where=Q(outcome=Outcome.WON, closed_on__isnull=False) & Q(_followed()),
        components={"won_deals_followed": Count("id")},
    ))  # fmt: skip
    for metric in METRICS:
        r.register_metric(metric)


def send_changed(organization_id: int, follow_ups: Iterable[FollowUp | dict[str, Any]]) -> None:
    """Tell the metrics a write changed these follow-ups (as they are now, and
    as they were before: pass both). Call inside the writing transaction."""
    from rumbo.metrics.services import metrics_mark_changed

    own: set[tuple[Any, Any]] = set()
    deals: set[Any] = set()
    for row in follow_ups:
        get = row.get if isinstance(row, dict) else lambda name, row=row: getattr(row, name)
        if get("owner_id") is not None and get("done_on") is not None:
            own.add((get("owner_id"), get("done_on")))
        if get("deal_id") is not None:
            deals.add(get("deal_id"))
    if own:
        facts_changed.send(sender=FollowUp, organization_id=organization_id, keys=own)
    if deals:
        keys = set(Deal.objects.filter(pk__in=deals, closed_on__isnull=False)
                   .values_list("owner_id", "closed_on"))  # fmt: skip
        metrics_mark_changed(organization_id=organization_id, keys=keys,
                             sources=[COVERAGE_SOURCE])  # fmt: skip


def stored(follow_up: FollowUp) -> list[dict[str, Any]]:
    """The follow-up's key fields as stored, before a write changes them."""
    if follow_up.pk is None:
        return []
    rows = FollowUp.objects.filter(pk=follow_up.pk).values("owner_id", "done_on", "deal_id")
    return [dict(row) for row in rows]


METRICS = [
    r.Metric(
        key="followups_on_time",
        label=_("Follow-ups done on time"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Follow-ups done by their due date ÷ follow-ups done, on the day done."),
        components=("followups_on_time", "followups_done"),
        formula=r.ratio(r.col("followups_on_time"), r.col("followups_done"), 100),
        sample=Sample(
            counts("followups_done"),
            MIN_FOLLOW_UPS,
            "follow_ups",
            "wilson",
            counts("followups_on_time"),
        ),  # fmt: skip
    ),
    r.Metric(
        key="followups_done",
        label=_("Follow-ups done"),
        unit="count",
        direction="higher",
        accumulates=True,
        family="quantity",
        description=_("Follow-ups marked done, on the day done."),
        components=("followups_done",),
        formula=r.total("followups_done"),
    ),
    r.Metric(
        key="followup_coverage",
        label=_("Won deals followed up"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_("Won deals with at least one follow-up done ÷ won deals, on the close date."),
        components=("won_deals_followed", "deals_won"),
        formula=r.ratio(r.col("won_deals_followed"), r.col("deals_won"), 100),
        sample=Sample(counts("deals_won"), MIN_WON, "won", "wilson", counts("won_deals_followed")),
    ),
    r.Metric(
        key="second_purchase_rate",
        label=_("Second-purchase rate"),
        unit="percent",
        direction="higher",
        accumulates=False,
        family="quality",
        description=_(
            "New customers of the period who buy again within 90 days (or the days the "
            "operator set) ÷ new customers."
        ),
        compute=second_purchase.second_purchase_rate,
    ),
    r.Metric(
        key="time_to_second_purchase",
        label=_("Time to second purchase (days)"),
        unit="days",
        direction="lower",
        accumulates=False,
        family="quality",
        description=_("Mean days from a customer's first won deal to their second, on the second."),
        compute=second_purchase.time_to_second_purchase,
    ),
]
