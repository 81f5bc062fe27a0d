"""Customer health: a score from 0 to 100 per customer with the reasons that
took points off, computed for many customers at once in a fixed handful of
queries (docs/care.md, "Customer health").

Which customers: those the reader may see (`visible_to(member)`). The score is
a figure about the customer, not about who recorded each fact, so its inputs
(surveys, complaints, follow-ups, deals of those customers) are read through
the organisation's view (as `scoping.organisation_view` does): a rep, her manager and
the daily sweep see the same score. Only the score and the names of its
reasons leave this module; no record of another rep opens."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.care import choices
from rumbo.care.models import FollowUp, HealthSettings
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Complaint, Customer, Deal, SurveyResponse
from rumbo.tenancy.models import Member, Role

RED, YELLOW, GREEN = "red", "yellow", "green"
BAND_LABELS = {RED: _("Red"), YELLOW: _("Yellow"), GREEN: _("Green")}
# Gainsight's bands: red up to 50, yellow up to 75, green above.
RED_UPTO, YELLOW_UPTO = 50, 75
YEAR = 365
# Complaint states that are over (the complaint workflow may add "closed").
CLOSED_COMPLAINT = ("resolved", "closed")
HIGH_SEVERITY = ("high", "critical")

REASON_LABELS: dict[str, Any] = {
    "detractor": _("Detractor score"),
    "complaint": _("Open complaint"),
    "complaint_high": _("Open high-severity complaint"),
    "overdue_follow_up": _("Overdue follow-up"),
    "repurchase_overdue": _("Repurchase overdue"),
    "falling_spend": _("Falling spend"),
}

# Signs other parts of care add (a breached complaint SLA, an overdue recovery
# case): a function (organisation id, customer ids, today) -> {customer id:
# [(reason key, points)]}. Its labels go into REASON_LABELS.
EXTRA_SIGNS: list[Callable[[int, list[int], dt.date], dict[int, list[tuple[str, int]]]]] = []


def band_of(score: int) -> str:
    if score <= RED_UPTO:
        return RED
    return YELLOW if score <= YELLOW_UPTO else GREEN


@dataclass(frozen=True)
class Reason:
    key: str
    points: int

    @property
    def label(self) -> str:
        return str(REASON_LABELS.get(self.key, self.key))


@dataclass
class Health:
    """A customer's score, band, reasons and revenue at stake (won revenue over
    the last 12 months, in the organisation's currency)."""

    customer_id: int
    score: int = 100
    reasons: list[Reason] = field(default_factory=list)
    at_stake: Decimal = Decimal(0)

    @property
    def band(self) -> str:
        return band_of(self.score)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band])

    def take(self, key: str, points: int) -> None:
        if points:
            self.reasons.append(Reason(key, points))
            self.score = max(0, self.score - points)


def _organisation_reader(organization_id: int) -> Member:
    """The organisation's admins' view (never saved): see the module's docstring."""
    return Member(organization_id=organization_id, role=Role.ADMIN, name="")


def settings_of(organization_id: int) -> HealthSettings:
    """The organisation's weights, or the defaults (an unsaved row)."""
    found = HealthSettings.objects.filter(organization_id=organization_id).first()
    return found or HealthSettings(organization_id=organization_id)


def median_gap(dates: Iterable[dt.date]) -> float | None:
    """The median number of days between consecutive purchase days, or None
    with fewer than two distinct days."""
    days = sorted(set(dates))
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return statistics.median(gaps) if gaps else None


def organisation_gap(organization_id: int) -> float | None:
    """The median, over the organisation's customers with two purchases or
    more, of each one's typical interval (one query)."""
    reader = _organisation_reader(organization_id)
    rows = Deal.objects.visible_to(reader).filter(
        outcome=Outcome.WON, customer__isnull=False, closed_on__isnull=False
    )
    by_customer: dict[int, list[dt.date]] = defaultdict(list)
    for customer_id, day in rows.values_list("customer_id", "closed_on"):
        if customer_id is not None and day is not None:
            by_customer[customer_id].append(day)
    gaps = [g for g in (median_gap(days) for days in by_customer.values()) if g is not None]
    return statistics.median(gaps) if gaps else None


def compute(organization_id: int, customer_ids: list[int], today: dt.date,
            weights: HealthSettings | None = None) -> dict[int, Health]:  # fmt: skip
    """The health of these customers (all of one organisation): at most six
    queries whatever their number, plus one per extra sign registered."""
    w = weights or settings_of(organization_id)
    result = {pk: Health(pk) for pk in customer_ids}
    if not customer_ids:
        return result
    reader = _organisation_reader(organization_id)
    org = Q(customer_id__in=customer_ids)
    since = today - dt.timedelta(days=w.detractor_days)
    latest: dict[int, tuple[str, int]] = {}
    surveys = (
        SurveyResponse.objects.visible_to(reader)
        .filter(org, responded_on__gte=since, responded_on__lte=today)
        .order_by("customer_id", "-responded_on", "-id")
    )
    for customer_id, kind, score in surveys.values_list("customer_id", "kind", "score"):
        latest.setdefault(customer_id, (kind, score))
    complaints: dict[int, bool] = {}
    open_ = Complaint.objects.visible_to(reader).filter(org).exclude(status__in=CLOSED_COMPLAINT)
    for customer_id, severity in open_.values_list("customer_id", "severity"):
        complaints[customer_id] = complaints.get(customer_id, False) or severity in HIGH_SEVERITY
    follow_ups = FollowUp.objects.visible_to(reader).filter(org, due_on__lt=today)
    overdue = set(
        follow_ups.filter(status=choices.Status.OPEN).values_list("customer_id", flat=True)
    )
    won: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    deals = Deal.objects.visible_to(reader).filter(
        org, outcome=Outcome.WON, closed_on__isnull=False, closed_on__lte=today
    )
    for customer_id, day, amount in deals.values_list("customer_id", "closed_on", "amount_base"):
        if customer_id is not None and day is not None:
            won[customer_id].append((day, amount or Decimal(0)))
    fallback: list[float | None] = []  # read once, and only when a customer needs it
    year_ago, two_years_ago = today - dt.timedelta(days=YEAR), today - dt.timedelta(days=2 * YEAR)
    extra: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for sign in EXTRA_SIGNS:
        for customer_id, found in sign(organization_id, customer_ids, today).items():
            extra[customer_id] += found
    for pk, health in result.items():
        survey = latest.get(pk)
        if survey is not None and is_detractor(*survey):
            health.take("detractor", w.detractor)
        if pk in complaints:
            health.take(*(("complaint_high", w.complaint_high) if complaints[pk]
                          else ("complaint", w.complaint)))  # fmt: skip
        if pk in overdue:
            health.take("overdue_follow_up", w.overdue_follow_up)
        purchases = won.get(pk, [])
        if purchases:
            last = max(day for day, _a in purchases)
            gap = median_gap(day for day, _a in purchases)
            if gap is None:
                if not fallback:
                    fallback.append(organisation_gap(organization_id))
                gap = fallback[0]
            if gap is not None and (today - last).days > gap:
                health.take("repurchase_overdue", w.repurchase_overdue)
            recent = sum((a for day, a in purchases if day > year_ago), Decimal(0))
            before = sum((a for day, a in purchases if two_years_ago < day <= year_ago),
                         Decimal(0))  # fmt: skip
            health.at_stake = recent
            if before > 0 and recent < before * (100 - w.spend_drop_percent) / 100:
                health.take("falling_spend", w.falling_spend)
        for key, points in extra.get(pk, []):
            health.take(key, points)
    return result


def is_detractor(kind: str, score: int) -> bool:
    return (kind == "nps" and score <= 6) or (kind == "csat" and score <= 2)


def of_customer(customer: Customer, member: Member, today: dt.date) -> Health:
    """One customer's health, for its page (the caller read it through visible_to)."""
    return compute(member.organization_id, [customer.pk], today)[customer.pk]


def visible_customers(member: Member) -> Any:
    return Customer.objects.visible_to(member)


def of_visible(member: Member, today: dt.date, customers: Any = None) -> list[tuple[Any, Health]]:
    """(customer, health) of every customer the member may see (or of the
    `customers` queryset given, already scoped): a fixed number of queries."""
    rows = list((customers if customers is not None else visible_customers(member))
                .select_related("owner"))  # fmt: skip
    found = compute(member.organization_id, [c.pk for c in rows], today)
    return [(c, found[c.pk]) for c in rows]
