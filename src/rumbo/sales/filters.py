"""List filters (query string -> queryset), with choices scoped to the viewer.
One definition per model: the API's list filters are made from these
(web.filter_api.api_filters, used by sales/api.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.utils.translation import gettext_lazy as _

from rumbo.sales import choices
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
from rumbo.tenancy.models import Member
from rumbo.web.filters import ScopedFilterSet, search, values_select
from rumbo.web.forms import DateInput, LookupWidget


def customer_filter() -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(
        queryset=Customer.objects.all(), label=_("Customer"), widget=LookupWidget("customer")
    )


def deal_filter() -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(
        queryset=Deal.objects.all(), label=_("Deal"),
        widget=LookupWidget("deal", depends_on="customer"),
    )  # fmt: skip


def owner_filter(label: Any = None) -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(queryset=Member.objects.all(), label=label or _("Rep"))


class CustomerFilter(ScopedFilterSet):
    q = search(["name", "external_id", "email", "city"])
    owner = owner_filter(_("Owner"))
    segment = df.CharFilter(label=_("Segment"))
    industry = df.CharFilter(label=_("Industry"))
    country = df.CharFilter(label=_("Country"))
    primary = ["q", "kind", "owner", "segment"]

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, member=member, **kwargs)
        customers = Customer.objects.visible_to(member)
        for name in ("segment", "industry", "country"):
            values_select(self, name, customers)

    class Meta:
        model = Customer
        fields = ["q", "kind", "owner", "segment", "industry", "size_band", "country", "age_band"]


class ContactFilter(ScopedFilterSet):
    q = search(["name", "email", "title", "customer__name"])
    customer = customer_filter()
    primary = ["q", "customer"]

    class Meta:
        model = Contact
        fields = ["q", "customer"]


class ProductFilter(ScopedFilterSet):
    q = search(["name", "sku"])
    category = df.CharFilter(label=_("Category"))
    primary = ["q", "category", "active"]

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, member=member, **kwargs)
        values_select(self, "category", Product.objects.visible_to(member))

    class Meta:
        model = Product
        fields = ["q", "category", "active"]


class TechniqueFilter(ScopedFilterSet):
    q = search(["name", "description"])
    primary = ["q", "active"]

    class Meta:
        model = Technique
        fields = ["q", "active"]


class ExchangeRateFilter(ScopedFilterSet):
    date_from = df.DateFilter("date", "gte", label=_("From"), widget=DateInput())
    date_to = df.DateFilter("date", "lte", label=_("To"), widget=DateInput())
    primary = ["currency"]

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date_from", "date_to"]


class DealFilter(ScopedFilterSet):
    q = search(["name", "external_id", "customer__name"])
    owner = owner_filter(_("Owner"))
    customer = customer_filter()
    created_from = df.DateFilter("created_on", "gte", label=_("Created from"),
                                 widget=DateInput())  # fmt: skip
    created_to = df.DateFilter("created_on", "lte", label=_("Created to"), widget=DateInput())
    closed_from = df.DateFilter("closed_on", "gte", label=_("Closed from"), widget=DateInput())
    closed_to = df.DateFilter("closed_on", "lte", label=_("Closed to"), widget=DateInput())
    technique = df.ModelChoiceFilter(
        field_name="techniques", queryset=Technique.objects.all(), label=_("Technique")
    )
    primary = ["q", "outcome", "stage", "owner"]

    class Meta:
        model = Deal
        fields = [
            "q", "outcome", "stage", "owner", "customer", "source", "technique", "currency",
            "created_from", "created_to", "closed_from", "closed_to",
        ]  # fmt: skip


class ActivityFilter(ScopedFilterSet):
    q = search(["notes", "customer__name"])
    owner = owner_filter()
    customer = customer_filter()
    deal = deal_filter()
    date_from = df.DateFilter("date", "gte", label=_("From"), widget=DateInput())
    date_to = df.DateFilter("date", "lte", label=_("To"), widget=DateInput())
    primary = ["q", "kind", "outcome", "owner"]

    class Meta:
        model = Activity
        fields = ["q", "kind", "outcome", "owner", "customer", "deal", "date_from", "date_to"]


class SurveyResponseFilter(ScopedFilterSet):
    q = search(["comment", "customer__name"])
    rep = owner_filter()
    customer = customer_filter()
    deal = deal_filter()
    date_from = df.DateFilter("responded_on", "gte", label=_("From"), widget=DateInput())
    date_to = df.DateFilter("responded_on", "lte", label=_("To"), widget=DateInput())
    primary = ["q", "kind", "channel", "rep"]

    class Meta:
        model = SurveyResponse
        fields = [
            "q", "kind", "channel", "rep", "score", "customer", "deal", "date_from", "date_to",
        ]  # fmt: skip


class ComplaintFilter(ScopedFilterSet):
    q = search(["description", "customer__name"])
    rep = owner_filter()
    customer = customer_filter()
    deal = deal_filter()
    status = df.ChoiceFilter(choices=choices.ComplaintStatus.choices, label=_("Status"))
    # A date on the page reads as that day's midnight; the API takes a full date-time.
    opened_from = df.DateTimeFilter("opened_at", "gte", label=_("Opened from"),
                                    widget=DateInput())  # fmt: skip
    opened_to = df.DateTimeFilter("opened_at", "lte", label=_("Opened to"), widget=DateInput())
    primary = ["q", "status", "severity", "rep"]

    class Meta:
        model = Complaint
        fields = [
            "q", "status", "severity", "rep", "category", "customer", "deal", "opened_from",
            "opened_to",
        ]  # fmt: skip
