"""Filters of the follow-ups list: when due, status, kind, whose, which customer."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.care import choices
from rumbo.care.models import CarePlan, FollowUp
from rumbo.care.selectors import due_filter
from rumbo.sales.models import Customer
from rumbo.tenancy.models import Member
from rumbo.web.filters import ScopedFilterSet, search


def _due(queryset: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
    # The request runs in the organisation's time zone (tenancy middleware):
    # "today" is the organisation's today, on the page and in the API.
    return queryset.filter(due_filter(value, timezone.localdate())) if value else queryset


class FollowUpFilter(ScopedFilterSet):
    q = search(["title", "customer__name"])
    due = df.ChoiceFilter(label=_("Due"), choices=choices.Due.choices, method=_due)
    status = df.ChoiceFilter(label=_("Status"), choices=choices.Status.choices)
    kind = df.ChoiceFilter(label=_("What"), choices=choices.StepKind.choices)
    owner = df.ModelChoiceFilter(queryset=Member.objects.all(), label=_("Assigned to"))
    customer = df.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"))
    due_from = df.DateFilter(label=_("Due from"), field_name="due_on", lookup_expr="gte")
    due_to = df.DateFilter(label=_("Due until"), field_name="due_on", lookup_expr="lte")
    primary = ["q", "due", "status", "owner"]

    class Meta:
        model = FollowUp
        fields = ["q", "due", "status", "kind", "owner", "customer", "due_from", "due_to"]


class CarePlanFilter(ScopedFilterSet):
    q = search(["name", "segment", "category"])
    trigger = df.ChoiceFilter(label=_("Starts when"), choices=choices.Trigger.choices)
    active = df.BooleanFilter(label=_("Active"))

    class Meta:
        model = CarePlan
        fields = ["q", "trigger", "active"]
