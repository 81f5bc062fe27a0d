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
from decimal import Decimal
from typing import Annotated, Any, Literal

import django_filters as df
from django.db import models
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


def api_field(model: type[models.Model], name: str, f: df.Filter) -> tuple[str, Any]:
    """The API parameter (name, annotated type) of the page's filter `name`."""
    search = getattr(f, "search_fields", None)
    if search:
        return name, Annotated[str | None, FilterLookup([f"{s}__icontains" for s in search])]
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


def api_filters(filterset: type[df.FilterSet]) -> type[FilterSchema]:
    """The ninja FilterSchema of the API's list of the same model."""
    model = filterset._meta.model
    fields = {}
    for name, f in filterset.base_filters.items():
        key, annotation = api_field(model, name, f)
        fields[key] = (annotation, None)
    name = filterset.__name__.removesuffix("Filter") + "Filters"
    return create_model(name, __base__=FilterSchema, __module__=filterset.__module__,
                        **fields)  # type: ignore[call-overload,no-any-return]  # fmt: skip
