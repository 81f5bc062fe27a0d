"""API schemas for sales records: what a client sends (`...In`; every field of
it may be sent alone to PATCH), what it gets back (`...Out`) and the list
filters (`...Filters`, query parameters). Field names match the models; a
related record is sent as `<name>_id` and comes back with its name too."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, FilterLookup, FilterSchema, Schema

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


def search(*fields: str) -> object:
    """A `q` filter: any of the fields contains the words."""
    return FilterLookup([f"{name}__icontains" for name in fields])


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


class CustomerFilters(FilterSchema):
    q: Annotated[str | None, search("name", "external_id", "email", "city")] = None
    kind: CustomerKind | None = None
    owner_id: Id | None = None
    segment: str | None = None
    industry: str | None = None
    size_band: SizeBand | None = None
    country: str | None = None
    age_band: AgeBand | None = None


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


class ContactFilters(FilterSchema):
    q: Annotated[str | None, search("name", "email", "title")] = None
    customer_id: Id | None = None


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


class ProductFilters(FilterSchema):
    q: Annotated[str | None, search("name", "sku")] = None
    category: str | None = None
    active: bool | None = None


class TechniqueIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    active: bool = True


class TechniqueOut(TechniqueIn):
    id: int
    version: int = Field(description=VERSION)


class TechniqueFilters(FilterSchema):
    q: Annotated[str | None, search("name", "description")] = None
    active: bool | None = None


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


class ExchangeRateFilters(FilterSchema):
    currency: str | None = None
    date_from: Annotated[dt.date | None, FilterLookup("date__gte")] = None
    date_to: Annotated[dt.date | None, FilterLookup("date__lte")] = None


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


class DealFilters(FilterSchema):
    q: Annotated[str | None, search("name", "external_id", "customer__name")] = None
    outcome: Outcome | None = None
    stage: Stage | None = None
    source: Source | None = None
    owner_id: Id | None = None
    customer_id: Id | None = None
    technique_id: Annotated[Id | None, FilterLookup("techniques")] = None
    currency: str | None = None
    created_from: Annotated[dt.date | None, FilterLookup("created_on__gte")] = None
    created_to: Annotated[dt.date | None, FilterLookup("created_on__lte")] = None
    closed_from: Annotated[dt.date | None, FilterLookup("closed_on__gte")] = None
    closed_to: Annotated[dt.date | None, FilterLookup("closed_on__lte")] = None


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


class ActivityFilters(FilterSchema):
    q: Annotated[str | None, search("notes", "customer__name")] = None
    kind: ActivityKind | None = None
    outcome: ActivityOutcome | None = None
    owner_id: Id | None = None
    customer_id: Id | None = None
    deal_id: Id | None = None
    date_from: Annotated[dt.date | None, FilterLookup("date__gte")] = None
    date_to: Annotated[dt.date | None, FilterLookup("date__lte")] = None


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


class SurveyResponseFilters(FilterSchema):
    q: Annotated[str | None, search("comment", "customer__name")] = None
    kind: SurveyKind | None = None
    score: int | None = None
    channel: SurveyChannel | None = None
    rep_id: Id | None = None
    customer_id: Id | None = None
    deal_id: Id | None = None
    date_from: Annotated[dt.date | None, FilterLookup("responded_on__gte")] = None
    date_to: Annotated[dt.date | None, FilterLookup("responded_on__lte")] = None


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


class ComplaintFilters(FilterSchema):
    q: Annotated[str | None, search("description", "customer__name")] = None
    status: ComplaintStatus | None = None
    severity: Severity | None = None
    category: ComplaintCategory | None = None
    rep_id: Id | None = None
    customer_id: Id | None = None
    deal_id: Id | None = None
    opened_from: Annotated[Moment | None, FilterLookup("opened_at__gte")] = None
    opened_to: Annotated[Moment | None, FilterLookup("opened_at__lte")] = None
