"""The tables the generator fills, as (model, columns) taken from the models'
own metadata, so the raw bulk paths (COPY, executemany) follow the schema."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    DealLine,
    SurveyResponse,
)


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of the sink's buffers
class Table:
    """Rows are tuples in `attnames` order; `columns` are the database names."""

    model: type[models.Model]
    attnames: tuple[str, ...]
    columns: tuple[str, ...] = field(init=False)
    db_table: str = field(init=False)
    kinds: tuple[str, ...] = field(init=False)  # internal type per column

    def __post_init__(self) -> None:
        meta = self.model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        fields = [by_attname[name] for name in self.attnames]
        object.__setattr__(self, "columns", tuple(f.column for f in fields))
        object.__setattr__(self, "db_table", meta.db_table)
        object.__setattr__(self, "kinds", tuple(f.get_internal_type() for f in fields))


ORG = "organization_id"
CUSTOMERS = Table(Customer, (
    "id", ORG, "external_id", "name", "kind", "owner_id", "segment", "industry", "size_band",
    "country", "region", "city", "age_band", "gender", "income_band", "email", "phone",
    "created_at",
))  # fmt: skip
CONTACTS = Table(Contact, (ORG, "customer_id", "name", "title", "email", "phone", "external_id"))
DEALS = Table(Deal, (
    "id", ORG, "external_id", "name", "owner_id", "customer_id", "stage", "outcome",
    "loss_reason", "source", "amount", "currency", "amount_base", "created_on", "closed_on",
))  # fmt: skip
LINES = Table(DealLine, ("deal_id", "product_id", "quantity", "unit_price"))
DEAL_TECHNIQUES = Table(Deal.techniques.through, ("deal_id", "technique_id"))
SURVEYS = Table(SurveyResponse, (
    ORG, "kind", "score", "comment", "responded_on", "channel", "customer_id", "deal_id",
    "rep_id", "external_id",
))  # fmt: skip
COMPLAINTS = Table(Complaint, (
    ORG, "customer_id", "deal_id", "rep_id", "opened_at", "resolved_at", "severity", "category",
    "status", "description", "resolution_notes", "external_id",
))  # fmt: skip
ACTIVITIES = Table(Activity, (
    ORG, "owner_id", "customer_id", "deal_id", "kind", "date", "outcome", "notes", "external_id",
))  # fmt: skip

# Parents before children: a flush writes in this order.
ALL = (CUSTOMERS, CONTACTS, DEALS, LINES, DEAL_TECHNIQUES, SURVEYS, COMPLAINTS, ACTIVITIES)
