"""Filters of the goals list: whose, which metric, status, approval, period."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.goals.forms import metric_choices
from rumbo.goals.models import Goal, Level, State, Status
from rumbo.goals.selectors import latest
from rumbo.tenancy.models import Member, Team
from rumbo.web.filters import ScopedFilterSet, words_in


class GoalFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, method="by_level")
    metric = django_filters.ChoiceFilter(label=_("Metric"), choices=metric_choices)
    state = django_filters.ChoiceFilter(label=_("Approval"), choices=State.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices,
                                         method="by_status")  # fmt: skip
    current = django_filters.BooleanFilter(label=_("Running today"), method="running")
    member = django_filters.ModelChoiceFilter(label=_("Person"), queryset=Member.objects.all())
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all())
    ends_after = django_filters.DateFilter(label=_("Ends on or after"), field_name="end",
                                           lookup_expr="gte")  # fmt: skip
    starts_before = django_filters.DateFilter(label=_("Starts on or before"), field_name="start",
                                              lookup_expr="lte")  # fmt: skip
    primary = ["q", "level", "metric", "state", "status", "current"]

    class Meta:
        model = Goal
        fields: list[str] = []

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return words_in(qs, ["name", "member__name", "team__name"], value)

    def by_level(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == Level.REP:
            return qs.filter(member__isnull=False)
        if value == Level.TEAM:
            return qs.filter(team__isnull=False)
        return qs.filter(member__isnull=True, team__isnull=True)

    def by_status(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.annotate(latest_status=latest("status")).filter(latest_status=value)

    def running(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        today = timezone.localdate()
        if value is None:
            return qs
        now = Q(start__lte=today, end__gte=today)
        return qs.filter(now) if value else qs.exclude(now)
