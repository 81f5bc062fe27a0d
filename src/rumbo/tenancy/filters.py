"""List filters of the people pages, with choices scoped to the viewer."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member, Team
from rumbo.web.filters import ScopedFilterSet, search


def _has_login(queryset: QuerySet[Any], _name: str, value: bool | None) -> QuerySet[Any]:
    if value is None:
        return queryset
    return queryset.filter(user__isnull=not value)


class MemberFilter(ScopedFilterSet):
    q = search(["name", "email", "external_id"])
    team = df.ModelChoiceFilter(queryset=Team.objects.all(), label=_("Team"))
    has_login = df.BooleanFilter(label=_("Can log in"), method=_has_login)
    is_active = df.BooleanFilter(label=_("Active"))
    primary = ["q", "role", "team", "has_login"]

    class Meta:
        model = Member
        fields = ["q", "role", "team", "has_login", "is_active"]


class TeamFilter(ScopedFilterSet):
    q = search(["name", "external_id"])
    parent = df.ModelChoiceFilter(queryset=Team.objects.all(), label=_("Parent team"))
    manager = df.ModelChoiceFilter(queryset=Member.objects.all(), label=_("Manager"))

    class Meta:
        model = Team
        fields = ["q", "parent", "manager"]
