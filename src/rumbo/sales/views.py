"""Pages for sales records: each kind is a `Resource` for the shared views in
`rumbo.web.crud` (list with filters, sorting and paging; detail; forms; delete)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rumbo.sales import filters, forms, lookups, panels, services
from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)
from rumbo.web.crud import Column, Resource

__all__ = ["RESOURCES", "lookups"]  # importing lookups registers /lookup/customer/ and /deal/


def _save(service: Any, kwarg: str) -> Any:
    def save(*, actor: Any, obj: Any, creating: bool, form: Any) -> Any:
        return service(actor=actor, creating=creating, **{kwarg: obj})

    return save


def _save_deal(*, actor: Any, obj: Deal, creating: bool, form: Any) -> Deal:
    return services.deal_save(
        actor=actor, deal=obj, creating=creating, lines=form.line_inputs,
        techniques=form.cleaned_data["techniques"],
    )  # fmt: skip


customers = Resource(
    model=Customer, form_class=forms.CustomerForm, filterset_class=filters.CustomerFilter,
    save=_save(services.customer_save, "customer"), delete=services.record_remove,
    select_related=["owner"], default_sort="name",
    columns=[
        # Email, city and external id tell namesakes apart (an import refuses a
        # name that "names more than one customer" until one of them is chosen).
        Column("name", _("Name"), link=True), Column("external_id", _("External id")),
        Column("email", _("Email")), Column("city", _("City")),
        Column("country", _("Country")), Column("segment", _("Segment")),
        Column("owner.name", _("Owner")),
    ],
    detail_fields=[
        "kind", "owner", "external_id", "segment", "industry", "size_band", "country",
        "region", "city", "age_band", "gender", "income_band", "email", "phone", "created_at",
    ],
    detail_context=panels.customer_context,
    hide_empty=frozenset({"age_band", "gender", "income_band", "size_band", "industry"}),
)  # fmt: skip

contacts = Resource(
    model=Contact, form_class=forms.ContactForm, filterset_class=filters.ContactFilter,
    save=_save(services.contact_save, "contact"), delete=services.record_remove,
    select_related=["customer"], default_sort="name",
    columns=[
        Column("name", _("Name"), link=True), Column("title", _("Job title")),
        Column("customer.name", _("Customer")), Column("email", _("Email")),
        Column("phone", _("Phone"), sortable=False),
    ],
    detail_fields=["customer", "title", "email", "phone", "external_id"],
)  # fmt: skip

products = Resource(
    model=Product, form_class=forms.ProductForm, filterset_class=filters.ProductFilter,
    save=_save(services.product_save, "product"), delete=services.record_remove,
    default_sort="name",
    columns=[
        Column("sku", _("SKU"), link=True), Column("name", _("Name")),
        Column("category", _("Category")),
        Column("list_price", _("List price"), money="base"),
        Column("active", _("Active")),
    ],
    detail_fields=["sku", "category", "list_price", "active"], money_fields={"list_price": "base"},
)  # fmt: skip

techniques = Resource(
    model=Technique, form_class=forms.TechniqueForm, filterset_class=filters.TechniqueFilter,
    save=_save(services.technique_save, "technique"), delete=services.record_remove,
    default_sort="name",
    columns=[
        Column("name", _("Name"), link=True),
        Column("description", _("Description"), sortable=False), Column("active", _("Active")),
    ],
    detail_fields=["description", "active"],
)  # fmt: skip

exchange_rates = Resource(
    model=ExchangeRate, form_class=forms.ExchangeRateForm,
    filterset_class=filters.ExchangeRateFilter,
    save=_save(services.exchange_rate_save, "rate"), delete=services.exchange_rate_delete,
    default_sort="-date",
    columns=[
        Column("currency", _("Currency"), link=True), Column("date", _("Date")),
        Column("rate", _("Rate")),
    ],
    detail_fields=["currency", "date", "rate"],
)  # fmt: skip

deals = Resource(
    model=Deal, form_class=forms.DealForm, filterset_class=filters.DealFilter,
    save=_save_deal, delete=services.record_remove,
    select_related=["owner", "customer"], default_sort="-created_on",
    columns=[
        Column("name", _("Name"), link=True), Column("customer.name", _("Customer")),
        Column("owner.name", _("Owner")), Column("stage", _("Stage")),
        Column("outcome", _("Outcome")), Column("amount", _("Amount"), money="currency",
               template="sales/_cell_amount.html"),
        Column("amount_base", _("Base amount"), money="base"), Column("created_on", _("Created")),
        Column("closed_on", _("Closed")),
    ],
    detail_fields=[
        "customer", "owner", "stage", "outcome", "loss_reason", "source", "amount",
        "amount_base", "created_on", "closed_on", "external_id",
    ],
    money_fields={"amount": "currency", "amount_base": "base"},
    totals=panels.deal_totals, detail_context=panels.deal_context,
    hide_empty=frozenset({"loss_reason", "closed_on", "external_id"}),
)  # fmt: skip

activities = Resource(
    model=Activity, form_class=forms.ActivityForm, filterset_class=filters.ActivityFilter,
    save=_save(services.activity_save, "activity"), delete=services.record_remove,
    select_related=["owner", "customer"], default_sort="-date",
    columns=[
        Column("date", _("Date"), link=True), Column("kind", _("Kind")),
        Column("customer.name", _("Customer")), Column("owner.name", _("Rep")),
        Column("outcome", _("Outcome")),
    ],
    detail_fields=["kind", "date", "customer", "deal", "owner", "outcome", "notes"],
    hide_empty=frozenset({"deal"}),
)  # fmt: skip

survey_responses = Resource(
    model=SurveyResponse, form_class=forms.SurveyResponseForm,
    filterset_class=filters.SurveyResponseFilter,
    save=_save(services.survey_response_save, "response"), delete=services.record_remove,
    select_related=["rep", "customer"], default_sort="-responded_on",
    columns=[
        Column("responded_on", _("Date"), link=True), Column("kind", _("Survey")),
        Column("score", _("Score")), Column("customer.name", _("Customer")),
        Column("rep.name", _("Rep")), Column("channel", _("Channel")),
    ],
    detail_fields=["kind", "score", "responded_on", "channel", "customer", "deal", "rep",
                   "comment"],
    totals=panels.survey_totals, hide_empty=frozenset({"deal"}),
)  # fmt: skip

complaints = Resource(
    model=Complaint, form_class=forms.ComplaintForm, filterset_class=filters.ComplaintFilter,
    save=_save(services.complaint_save, "complaint"), delete=services.record_remove,
    select_related=["rep", "customer"], default_sort="-opened_at",
    columns=[
        Column("opened_at", _("Opened"), link=True), Column("customer.name", _("Customer")),
        Column("category", _("Category")), Column("severity", _("Severity")),
        Column("status", _("Status")), Column("rep.name", _("Rep")),
        Column("resolved_at", _("Resolved")),
    ],
    detail_fields=["customer", "deal", "rep", "severity", "category", "status", "opened_at",
                   "resolved_at", "description", "resolution_notes"],
    hide_empty=frozenset({"deal", "resolved_at", "resolution_notes"}),
    totals=panels.complaint_totals,
)  # fmt: skip

RESOURCES = {
    "customers": customers, "contacts": contacts, "products": products,
    "techniques": techniques, "rates": exchange_rates, "deals": deals,
    "activities": activities, "surveys": survey_responses, "complaints": complaints,
}  # fmt: skip
