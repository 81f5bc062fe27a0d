"""The base of every list filter: record choices limited to what the viewer
sees, Bootstrap classes, "Any" for an unset choice, and the search box."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rumbo.web.access import access
from rumbo.web.folding import MAX_WORDS, Holds, fold
from rumbo.web.forms import bind_lookups, style_fields


class ScopedFilterSet(df.FilterSet):
    """Filters whose record choices are limited to what `member` sees."""

    def __init__(self, *args: Any, member: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            # django-filter reads a model choice filter's records from `f.queryset`.
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                f.queryset = queryset.visible_to(member)
                f.extra["queryset"] = f.queryset
        if access().is_rep(member):
            # A rep sees only themself among people: a choice of one is noise.
            for name, f in self.filters.items():
                queryset = getattr(f, "queryset", None)
                if queryset is not None and queryset.model is access().people:
                    self.form.fields.pop(name, None)
        style_fields(self.form)
        bind_lookups(self.form)
        for name, field in self.form.fields.items():
            if getattr(field.widget, "input_type", "") == "text":
                field.widget.input_type = "search"
            _any_choice(field)
            if name == "q":
                # Typing here refreshes the results (see web/crud/_filters.html).
                field.widget.attrs["class"] += " filter-search"
                field.widget.attrs.setdefault("placeholder", _("Search…"))


def _any_choice(field: forms.Field) -> None:
    """An unset filter reads "Any" rather than a row of dashes."""
    if isinstance(field.widget, forms.NullBooleanSelect):
        field.widget.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
    elif isinstance(field, forms.ModelChoiceField) or hasattr(field, "empty_label"):
        field.empty_label = _("Any")
        # The widget may hold an iterator bound to the class-level field: rebind it.
        field.widget.choices = field.choices  # type: ignore[attr-defined]
    elif isinstance(field, forms.ChoiceField):
        options = list(field.choices)  # type: ignore[arg-type]
        if options and options[0][0] == "":
            field.choices = [("", _("Any")), *options[1:]]


def words_in(queryset: QuerySet[Any], fields: list[str], value: str) -> QuerySet[Any]:
    """Rows holding every word of `value` in one of `fields`, ignoring case and
    accents: the same match as the search box (web.folding), so its "see all"
    link lists what it counted."""
    for word in [fold(w) for w in value.split()][:MAX_WORDS]:
        query = Q()
        for field in fields:
            query |= Q(Holds(F(field), word))
        queryset = queryset.filter(query)
    return queryset


def search(fields: list[str]) -> Any:
    def method(queryset: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        return words_in(queryset, fields, value)

    return df.CharFilter(label=_("Search"), method=method)


def values_select(filterset: df.FilterSet, name: str, queryset: QuerySet[Any]) -> None:
    """Turn a free-text filter into a <select> of the values in use (one query):
    people pick "Mid-market" rather than guess how it was spelt."""
    values = queryset.exclude(**{name: ""}).order_by(name).values_list(name, flat=True).distinct()
    field = filterset.form.fields[name]
    field.widget = forms.Select(
        choices=[("", _("Any")), *((v, v) for v in values)], attrs={"class": "form-select"}
    )
