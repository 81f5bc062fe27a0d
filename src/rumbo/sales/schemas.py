"""API schemas for sales records: what a client sends (`...In`; every field of
it may be sent alone to PATCH) and what it gets back (`...Out`). The list
filters are made from the pages' (sales/filters.py, web.filter_api). Field
names match the models; a related record is sent as `<name>_id` and comes back
with its name too."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from rumbo.sales.choices import (
    ActivityKind,
    ActivityOutcome,
    AgeBand,
    ComplaintCategory,
    ComplaintStatus,
    CustomerKind,
    Gender,
    IncomeBand,
    LossReason,
    Outcome,
    Severity,
    SizeBand,
    Source,
    Stage,
    SurveyChannel,
    SurveyKind,
)
from rumbo.tenancy.models import CURRENCY_CODES
from rumbo.tenancy.schemas import MemberRef
from rumbo.tenancy.versions import VERSION_DOC
from rumbo.web.ids import Id
from rumbo.web.moments import Moment

Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Currency = Annotated[
    str, Field(min_length=3, max_length=3, json_schema_extra={"enum": CURRENCY_CODES})
]
Blank = Literal[""]
VERSION = VERSION_DOC


def text(max_length: int, default: str = "") -> str:
    return Field(default, max_length=max_length)  # type: ignore[no-any-return]


class CustomerRef(Schema):
    id: int
    name: str


# Customers and contacts


class CustomerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: CustomerKind = CustomerKind.BUSINESS
    owner_id: Id | None = Field(None, description="The rep who owns it; defaults to you.")
    external_id: str = text(100)
    segment: str = text(60)
    industry: str = text(80)
    size_band: SizeBand | Blank = ""
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. ES.")
    region: str = text(80)
    city: str = text(80)
    age_band: AgeBand | Blank = ""
    gender: Gender | Blank = ""
    income_band: IncomeBand | Blank = ""
    email: str = text(254)
    phone: str = text(40)


class CustomerOut(CustomerIn):
    id: int
    version: int = Field(description=VERSION)
    owner: MemberRef | None
    created_at: dt.datetime


class ContactIn(Schema):
    customer_id: Id
    name: str = Field(min_length=1, max_length=200)
    title: str = text(120)
    email: str = text(254)
    phone: str = text(40)
    external_id: str = text(100)


class ContactOut(ContactIn):
    id: int
    version: int = Field(description=VERSION)
    customer: CustomerRef


# Catalogues (written by admins)


class ProductIn(Schema):
    sku: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    category: str = text(80)
    list_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    active: bool = True


class ProductOut(ProductIn):
    id: int
    version: int = Field(description=VERSION)


class TechniqueIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    active: bool = True


class TechniqueOut(TechniqueIn):
    id: int
    version: int = Field(description=VERSION)


class ExchangeRateIn(Schema):
    currency: Currency
    date: dt.date
    rate: Decimal = Field(
        gt=0, max_digits=18, decimal_places=8,
        description="Units of the organisation's currency one unit of `currency` was worth.",
    )  # fmt: skip


class ExchangeRateOut(ExchangeRateIn):
    id: int
    version: int = Field(description=VERSION)


# Deals and activities


class DealLineIn(Schema):
    product_id: Id
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    unit_price: Money


class DealLineOut(DealLineIn):
    id: int
    total: Decimal


class DealFields(Schema):
    name: str = Field(min_length=1, max_length=200)
    owner_id: Id | None = Field(None, description="The rep who owns it; defaults to you.")
    customer_id: Id | None = None
    stage: Stage = Stage.PROSPECTING
    outcome: Outcome = Outcome.OPEN
    loss_reason: LossReason | Blank = ""
    source: Source | Blank = ""
    amount: Money | None = Field(None, description="Left out when lines are sent: their total.")
    currency: Currency | None = Field(None, description="Defaults to the organisation's.")
    created_on: dt.date | None = Field(None, description="Defaults to today.")
    closed_on: dt.date | None = None
    external_id: str = text(100)


class DealIn(DealFields):
    lines: list[DealLineIn] | None = Field(
        None, description="Products sold; sending them replaces the deal's lines."
    )
    technique_ids: list[Id] | None = Field(
        None, description="Sales techniques used; sending them replaces the list."
    )


class DealOut(DealFields):
    id: int
    version: int = Field(description=VERSION)
    owner: MemberRef
    customer: CustomerRef | None
    amount: Decimal
    currency: str
    amount_base: Decimal | None = Field(description="The amount in the organisation's currency.")
    created_on: dt.date | None = Field(description="Empty when an import did not give it.")
    lines: list[DealLineOut]
    technique_ids: list[int]

    @staticmethod
    def resolve_technique_ids(obj: object) -> list[int]:
        return [t.pk for t in obj.techniques.all()]  # type: ignore[attr-defined]


class ActivityIn(Schema):
    owner_id: Id | None = Field(None, description="The rep; defaults to you.")
    customer_id: Id
    deal_id: Id | None = None
    kind: ActivityKind
    date: dt.date | None = Field(None, description="Defaults to today.")
    outcome: ActivityOutcome = ActivityOutcome.DONE
    notes: str = ""
    external_id: str = text(100)


class ActivityOut(ActivityIn):
    id: int
    version: int = Field(description=VERSION)
    owner: MemberRef
    customer: CustomerRef
    date: dt.date


# Feedback


class SurveyResponseIn(Schema):
    kind: SurveyKind
    score: int = Field(ge=0, le=10, description="CSAT 1–5, NPS 0–10.")
    comment: str = ""
    responded_on: dt.date
    channel: SurveyChannel = SurveyChannel.EMAIL
    customer_id: Id
    deal_id: Id | None = None
    rep_id: Id | None = Field(None, description="Defaults to the deal's, else customer's owner.")
    external_id: str = text(100)


class SurveyResponseOut(SurveyResponseIn):
    id: int
    version: int = Field(description=VERSION)
    customer: CustomerRef
    rep: MemberRef


class ComplaintIn(Schema):
    customer_id: Id
    deal_id: Id | None = None
    rep_id: Id | None = Field(None, description="Defaults to the deal's, else customer's owner.")
    opened_at: Moment | None = Field(None, description="Defaults to now.")
    resolved_at: Moment | None = None
    severity: Severity = Severity.MEDIUM
    category: ComplaintCategory
    status: ComplaintStatus = ComplaintStatus.OPEN
    description: str = ""
    resolution_notes: str = ""
    external_id: str = text(100)


class ComplaintOut(ComplaintIn):
    id: int
    version: int = Field(description=VERSION)
    customer: CustomerRef
    rep: MemberRef
    opened_at: dt.datetime

