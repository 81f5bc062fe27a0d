"""What the sales detail pages show beside a record's own fields: related
records (capped lists linking to the filtered list), figures and totals. Every
read starts from `visible_to(member)`; each panel is one or two queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from rumbo.metrics import registry
from rumbo.sales.choices import ComplaintStatus, Outcome
from rumbo.sales.models import Activity, Complaint, Contact, Customer, Deal, SurveyResponse
from rumbo.sales.selectors import registered_figures
from rumbo.tenancy import scoping
from rumbo.web import formatting
from rumbo.web.crud import Column
from rumbo.web.panels import Panel, contributed, panel

DEAL_COLUMNS = [
    Column("name", _("Name"), link=True), Column("outcome", _("Outcome")),
    Column("closed_on", _("Closed")), Column("amount", _("Amount"), money="currency"),
]  # fmt: skip


def _activity_columns(who: Column) -> list[Column]:
    return [Column("date", _("Date"), link=True), Column("kind", _("Kind")),
            Column("outcome", _("Outcome")), who]  # fmt: skip


def _survey_columns(who: Column) -> list[Column]:
    return [Column("responded_on", _("Date"), link=True), Column("kind", _("Survey")),
            Column("score", _("Score")), who]  # fmt: skip


def _complaint_columns(who: Column) -> list[Column]:
    return [Column("opened_at", _("Opened"), link=True), Column("category", _("Category")),
            Column("status", _("Status")), who]  # fmt: skip


CONTACT_COLUMNS = [
    Column("name", _("Name"), link=True), Column("title", _("Job title")),
    Column("email", _("Email")), Column("phone", _("Phone")),
]  # fmt: skip
CUSTOMER_COLUMNS = [
    Column("name", _("Name"), link=True), Column("segment", _("Segment")),
    Column("city", _("City")),
]  # fmt: skip


def feedback_panels(
    member: Any, key: str, obj: Any, *, owner_key: str = "", add: dict[str, Any] | None = None
) -> list[Panel]:
    """Activities, survey responses and complaints of a customer, a deal or a
    rep (`key` = "owner", whose feedback is filed under "rep")."""
    flt = {key: obj.pk}
    rep_flt = {owner_key or key: obj.pk}
    activities = (
        Activity.objects.visible_to(member).filter(**flt).select_related("owner", "customer")
    )
    surveys = (
        SurveyResponse.objects.visible_to(member)
        .filter(**rep_flt)
        .select_related("rep", "customer")
    )
    complaints = (
        Complaint.objects.visible_to(member).filter(**rep_flt).select_related("rep", "customer")
    )
    customer = Column("customer.name", _("Customer"))
    by_customer = key == "customer"
    rep = Column("rep.name", _("Rep")) if by_customer else customer
    owner = Column("owner.name", _("Rep")) if by_customer else customer

    def can(model: Any) -> bool:
        return add is not None and scoping.can_create(member, model)

    return [
        panel(_("Activities"), activities, _activity_columns(owner), filters=flt, add=add,
              can_add=can(Activity)),
        panel(_("Survey responses"), surveys, _survey_columns(rep), filters=rep_flt, add=add,
              can_add=can(SurveyResponse)),
        panel(_("Complaints"), complaints, _complaint_columns(rep), filters=rep_flt, add=add,
              can_add=can(Complaint)),
    ]  # fmt: skip


def _figures(member: Any, deals: Any, feedback_filter: dict[str, Any]) -> list[tuple[Any, str]]:
    """Won revenue and deals won (the registered metrics' own formulas), open
    pipeline, CSAT and open complaints: four queries."""
    currency = member.organization.currency
    won = registered_figures(deals, ("revenue", "deals_won"))
    pipeline = deals.filter(outcome=Outcome.OPEN).aggregate(v=Sum("amount_base"))["v"]
    csat = registered_figures(
        SurveyResponse.objects.visible_to(member).filter(**feedback_filter), ("csat",)
    )
    open_complaints = (
        Complaint.objects.visible_to(member)
        .filter(**feedback_filter)
        .exclude(status=ComplaintStatus.RESOLVED)
        .count()
    )
    csat_text = _rate("csat", csat, currency)
    return [
        (_("Won revenue"), formatting.money(won["revenue"] or Decimal(0), currency)),
        (_("Deals won"), formatting.number(won["deals_won"] or 0)),
        (_("Open pipeline"), formatting.money(pipeline or Decimal(0), currency)),
        (_("CSAT"), csat_text),
        (_("Open complaints"), formatting.number(open_complaints)),
    ]


def customer_context(customer: Any, member: Any) -> dict[str, Any]:
    deals = Deal.objects.visible_to(member).filter(customer=customer)
    contacts = Contact.objects.visible_to(member).filter(customer=customer)
    flt = {"customer": customer.pk}
    panels = [
        panel(_("Contacts"), contacts, CONTACT_COLUMNS, filters=flt, add=flt,
              can_add=scoping.can_create(member, Contact)),
        panel(_("Deals"), deals.order_by("-created_on", "-pk"), DEAL_COLUMNS, filters=flt,
              add=flt, can_add=scoping.can_create(member, Deal)),
        *feedback_panels(member, "customer", customer, add=flt),
    ]  # fmt: skip
    # What other apps add (customer care's health figure): web/panels.py.
    extra = contributed(customer, member)
    return {**extra, "panels": panels + extra["panels"],
            "figures": _figures(member, deals, flt) + extra["figures"]}  # fmt: skip


def deal_context(deal: Any, member: Any) -> dict[str, Any]:
    add = {"customer": deal.customer_id, "deal": deal.pk} if deal.customer_id else {"deal": deal.pk}
    lines = list(deal.lines.select_related("product"))
    total = sum((line.total for line in lines), Decimal(0))
    return {
        "lines": lines,
        "lines_total": total,
        "techniques": list(deal.techniques.all()),
        "panels": feedback_panels(member, "deal", deal, add=add),
    }


def deal_totals(deals: Any, member: Any) -> list[tuple[Any, str]]:
    """Figures over the filtered deals list, in the organisation's currency."""
    currency = member.organization.currency
    sums = deals.order_by().aggregate(
        total=Sum("amount_base"),
        won=Sum("amount_base", filter=Q(outcome=Outcome.WON)),
        open=Sum("amount_base", filter=Q(outcome=Outcome.OPEN)),
    )
    return [
        (_("Base amount"), formatting.money(sums["total"] or Decimal(0), currency)),
        (_("Won"), formatting.money(sums["won"] or Decimal(0), currency)),
        (_("Open"), formatting.money(sums["open"] or Decimal(0), currency)),
    ]


def member_context(person: Any, member: Any) -> dict[str, Any]:
    """Records a member owns, as the viewer may see them."""
    flt = {"owner": person.pk}
    customers = Customer.objects.visible_to(member).filter(owner=person)
    deals = Deal.objects.visible_to(member).filter(owner=person).select_related("customer")
    panels = [
        panel(_("Customers"), customers, CUSTOMER_COLUMNS, filters=flt),
        panel(_("Deals"), deals.order_by("-created_on", "-pk"), DEAL_COLUMNS, filters=flt),
        *feedback_panels(member, "owner", person, owner_key="rep"),
    ]
    rep_flt = {"rep": person.pk}
    return {"panels": panels, "figures": _figures(member, deals, rep_flt)}


def survey_totals(responses: Any, member: Any) -> list[tuple[Any, str]]:
    """CSAT (share of 4–5 answers) and NPS (promoters minus detractors) of the filter."""
    found = registered_figures(responses.order_by(), ("csat", "nps"))
    currency = member.organization.currency
    return [(_("CSAT"), _rate("csat", found, currency)),
            (_("NPS"), _rate("nps", found, currency))]  # fmt: skip


def _rate(key: str, found: dict[str, Any], currency: str) -> str:
    """A rate with what it rests on, as the metric declares its count: "66.7 %
    (3 responses)" (never a bare number)."""
    metric = registry.get_metric(key)
    assert metric is not None and metric.sample is not None  # sales registers both
    value = found[key]
    if value is None:
        return formatting.metric_value(None, metric.unit, currency)
    words = metric.sample.words(metric.sample.counted(found["totals"]))
    return f"{formatting.metric_value(value, metric.unit, currency)} ({words})"


def complaint_totals(complaints: Any, member: Any) -> list[tuple[Any, str]]:
    agg = complaints.order_by().aggregate(
        open=Count("id", filter=~Q(status=ComplaintStatus.RESOLVED)),
        urgent=Count(
            "id", filter=~Q(status=ComplaintStatus.RESOLVED) & Q(severity__in=["high", "critical"])
        ),
    )
    return [
        (_("Still open"), formatting.number(agg["open"])),
        (_("Open and high or critical"), formatting.number(agg["urgent"])),
    ]
