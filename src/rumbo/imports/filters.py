"""List filters of the alias and saved-mapping pages."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rumbo.imports import saved
from rumbo.imports.kinds import KINDS
from rumbo.imports.models import Alias, ColumnMapping
from rumbo.web.filters import ScopedFilterSet, search


def _broken(queryset: QuerySet[Any], _name: str, value: bool | None) -> QuerySet[Any]:
    """Aliases whose record was deleted since (`target_name` is annotated by
    `selectors.aliases_listed`), or, with No, the others."""
    dead = Q(record_id__isnull=False, target_name__isnull=True)
    if value is None:
        return queryset
    return queryset.filter(dead) if value else queryset.exclude(dead)


class AliasFilter(ScopedFilterSet):
    q = search(["spelling", "value"])
    kind = df.ChoiceFilter(label=_("Names a"), choices=saved.alias_kind_choices)
    broken = df.BooleanFilter(label=_("Record deleted"), method=_broken)
    primary = ["q", "kind", "broken"]

    class Meta:
        model = Alias
        fields = ["q", "kind", "broken"]


class MappingFilter(ScopedFilterSet):
    q = search(["name"])
    kind = df.ChoiceFilter(
        label=_("Kind"), choices=[(k, capfirst(spec.label)) for k, spec in KINDS.items()]
    )
    primary = ["q", "kind"]

    class Meta:
        model = ColumnMapping
        fields = ["q", "kind"]
