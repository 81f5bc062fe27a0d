"""List filters (query string -> queryset), with choices scoped to the viewer."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
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
from rumbo.web.forms import DateInput, style_fields


class ScopedFilterSet(df.FilterSet):
    """Filters whose record choices are limited to what `member` sees."""

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            queryset = f.extra.get("queryset")
            if queryset is not None and hasattr(queryset, "visible_to"):
                f.extra["queryset"] = queryset.visible_to(member)
        style_fields(self.form)
        for field in self.form.fields.values():
            if getattr(field.widget, "input_type", "") == "text":
                field.widget.input_type = "search"


def search(fields: list[str]) -> Any:
    def method(queryset: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return df.CharFilter(label=_("Search"), method=method)


def owner_filter(label: Any = None) -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(queryset=Member.objects.all(), label=label or _("Rep"))


class CustomerFilter(ScopedFilterSet):
    q = search(["name", "external_id", "email", "city"])
    owner = owner_filter(_("Owner"))

    class Meta:
        model = Customer
        fields = ["q", "kind", "owner", "segment", "industry", "size_band", "country", "age_band"]


class ContactFilter(ScopedFilterSet):
    q = search(["name", "email", "title"])
    customer = df.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"))

    class Meta:
        model = Contact
        fields = ["q", "customer"]


class ProductFilter(ScopedFilterSet):
    q = search(["name", "sku"])

    class Meta:
        model = Product
        fields = ["q", "category", "active"]


class TechniqueFilter(ScopedFilterSet):
    q = search(["name", "description"])

    class Meta:
        model = Technique
        fields = ["q", "active"]


class ExchangeRateFilter(ScopedFilterSet):
    class Meta:
        model = ExchangeRate
        fields = ["currency"]


class DealFilter(ScopedFilterSet):
    q = search(["name", "external_id", "customer__name"])
    owner = owner_filter(_("Owner"))
    closed_from = df.DateFilter("closed_on", "gte", label=_("Closed from"), widget=DateInput())
    closed_to = df.DateFilter("closed_on", "lte", label=_("Closed to"), widget=DateInput())
    technique = df.ModelChoiceFilter(
        field_name="techniques", queryset=Technique.objects.all(), label=_("Technique")
    )

    class Meta:
        model = Deal
        fields = ["q", "outcome", "stage", "owner", "source", "technique", "currency"]


class ActivityFilter(ScopedFilterSet):
    q = search(["notes", "customer__name"])
    owner = owner_filter()
    date_from = df.DateFilter("date", "gte", label=_("From"), widget=DateInput())
    date_to = df.DateFilter("date", "lte", label=_("To"), widget=DateInput())

    class Meta:
        model = Activity
        fields = ["q", "kind", "outcome", "owner"]


class SurveyResponseFilter(ScopedFilterSet):
    q = search(["comment", "customer__name"])
    rep = owner_filter()
    date_from = df.DateFilter("responded_on", "gte", label=_("From"), widget=DateInput())
    date_to = df.DateFilter("responded_on", "lte", label=_("To"), widget=DateInput())

    class Meta:
        model = SurveyResponse
        fields = ["q", "kind", "score", "channel", "rep"]


class ComplaintFilter(ScopedFilterSet):
    q = search(["description", "customer__name"])
    rep = owner_filter()
    status = df.ChoiceFilter(choices=choices.ComplaintStatus.choices, label=_("Status"))

    class Meta:
        model = Complaint
        fields = ["q", "status", "severity", "category", "rep"]
