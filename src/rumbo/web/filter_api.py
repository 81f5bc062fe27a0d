"""The API's list filters, made from the page's: one definition per model.

A list page filters through a django-filter FilterSet (the form people use);
the API's query parameters are generated here from that same FilterSet, so a
filter added to one is on the other, with the same lookup (they had drifted:
`created_from`/`created_to` existed on the API only). The names follow the
API's words: a record is `<name>_id` (`?customer_id=3` where the page says
`?customer=3`); everything else keeps the page's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import django_filters as df
from django.db import models
from django.db.models import Q, QuerySet
from ninja import FilterLookup, FilterSchema
from pydantic import create_model

from rumbo.web.ids import Id
from rumbo.web.moments import Moment


def _lookup(f: df.Filter) -> str:
    return f.field_name if f.lookup_expr == "exact" else f"{f.field_name}__{f.lookup_expr}"


def _model_field(model: type[models.Model], path: str) -> Any:
    try:
        return model._meta.get_field(path.split("__")[0])
    except Exception:  # noqa: BLE001 - a method filter names no field
        return None


def _choices(f: df.Filter, field: Any) -> tuple[Any, ...]:
    found = f.extra.get("choices") or getattr(field, "choices", None) or ()
    if callable(found):
        found = found()
    return tuple(value for value, _label in found if value not in ("", None))


Method = Callable[[QuerySet[Any], Any], QuerySet[Any]]


class PageFilters(FilterSchema):
    """An API filter schema made from a page's FilterSet. Plain filters become
    ninja lookups; a filter the page runs through a method (the search box,
    "running today", a goal's latest status) runs through the same method here."""

    methods: ClassVar[dict[str, Method]] = {}

    def filter(self, queryset: Any) -> Any:
        queryset = super().filter(queryset)
        for key, run in self.methods.items():
            value = getattr(self, key)
            if value is not None:
                queryset = run(queryset, value)
        return queryset


def _method(filterset: type[df.FilterSet], name: str, f: df.Filter) -> Method:
    method = f.method
    if not callable(method):
        # A method named on the FilterSet uses no state: a bare instance will do.
        method = getattr(object.__new__(filterset), method)
    return lambda queryset, value: method(queryset, name, value)


def api_field(model: type[models.Model], name: str, f: df.Filter) -> tuple[str, Any]:
    """The API parameter (name, annotated type) of the page's filter `name`."""
    if isinstance(f, df.ModelChoiceFilter | df.ModelMultipleChoiceFilter):
        return f"{name}_id", Annotated[Id | None, FilterLookup(f.field_name)]
    field = _model_field(model, f.field_name)
    kind: Any
    if isinstance(f, df.DateTimeFilter | df.IsoDateTimeFilter):
        kind = Moment
    elif isinstance(f, df.DateFilter):
        kind = dt.date
    elif isinstance(f, df.BooleanFilter):
        kind = bool
    elif isinstance(f, df.ChoiceFilter) and _choices(f, field):
        kind = Literal[_choices(f, field)]  # type: ignore[valid-type]
    elif isinstance(f, df.NumberFilter):
        kind = int if isinstance(field, models.IntegerField) else Decimal
    else:
        kind = str
    return name, Annotated[kind | None, FilterLookup(_lookup(f))]


def _no_lookup(_self: Any, _value: Any) -> Q:
    return Q()


def api_filters(filterset: type[df.FilterSet]) -> type[FilterSchema]:
    """The ninja FilterSchema of the API's list of the same model."""
    model = filterset._meta.model
    fields: dict[str, Any] = {}
    methods: dict[str, Method] = {}
    for name, f in filterset.base_filters.items():
        key, annotation = api_field(model, name, f)
        fields[key] = (annotation, None)
        if f.method is not None:
            methods[key] = _method(filterset, name, f)
    # A method filter adds nothing to ninja's lookups (filter_<key> answers Q());
    # PageFilters.filter runs it on the queryset instead.
    attrs: dict[str, Any] = {f"filter_{key}": _no_lookup for key in methods}
    attrs["methods"] = methods
    base = type(f"{filterset.__name__}Base", (PageFilters,), attrs)
    name = filterset.__name__.removesuffix("Filter") + "Filters"
    return create_model(name, __base__=base, __module__=filterset.__module__,
                        **fields)  # type: ignore[call-overload,no-any-return]  # fmt: skip
