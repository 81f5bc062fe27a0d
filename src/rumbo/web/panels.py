"""Related-record panels of detail pages, and what blocks a delete.

A panel is a capped list (the latest few) with the total count and a link to
the full list filtered to the record: at most two queries whatever the size."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import Model
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

# Detail and list URL names of each model that has pages, filled by `resource_urls`:
# model -> ("sales:deal", filter names of its list page).
PAGES: dict[type[Model], tuple[str, frozenset[str]]] = {}


# What other apps show on a record's detail page, by the record's model label
# ("tenancy.member"): each app adds its builder in its AppConfig.ready, so the
# app owning the page needs no import of the apps building on it (sales builds
# on tenancy, not the reverse). A builder returns context: "panels" and
# "figures" lists are joined, anything else is set.
Contribution = Callable[[Any, Any], dict[str, Any]]
CONTRIBUTIONS: dict[str, list[Contribution]] = {}


def contribute(label: str, build: Contribution) -> None:
    """Add `build(record, viewer)` to the detail page of `label`'s records."""
    builders = CONTRIBUTIONS.setdefault(label, [])
    if build not in builders:
        builders.append(build)


def contributed(record: Model, viewer: Any) -> dict[str, Any]:
    """The context every app contributes to `record`'s detail page."""
    context: dict[str, Any] = {"panels": [], "figures": []}
    for build in CONTRIBUTIONS.get(record._meta.label_lower, []):
        for key, value in build(record, viewer).items():
            if key in ("panels", "figures"):
                context[key] += list(value)
            else:
                context[key] = value
    return context


def detail_url(obj: Any) -> str:
    """The detail page of `obj`, or "" for a model without pages."""
    entry = PAGES.get(type(obj))
    if entry is None or getattr(obj, "pk", None) is None:
        return ""
    try:
        return reverse(f"{entry[0]}_detail", args=[obj.pk])
    except NoReverseMatch:
        return ""


def list_url(model: type[Model], **filters: Any) -> str:
    """The list page of `model`, filtered when it has those filters; else ""."""
    entry = PAGES.get(model)
    if entry is None:
        return ""
    if any(name not in entry[1] for name in filters):
        return ""
    url = reverse(f"{entry[0]}_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def create_url(model: type[Model], **initial: Any) -> str:
    entry = PAGES.get(model)
    if entry is None:
        return ""
    url = reverse(f"{entry[0]}_create")
    return f"{url}?{urlencode(initial)}" if initial else url


@dataclass
class Panel:
    """A titled, capped list of related records on a detail page."""

    title: Any
    columns: list[Any]
    rows: list[Any]
    count: int
    more_url: str = ""
    add_url: str = ""
    testid: str = ""
    footer: list[tuple[Any, str]] = field(default_factory=list)


def panel(
    title: Any,
    queryset: Any,
    columns: list[Any],
    *,
    filters: dict[str, Any] | None = None,
    add: dict[str, Any] | None = None,
    can_add: bool = False,
    cap: int = 5,
    testid: str = "",
) -> Panel:
    """Fetch `cap` rows; count only when the page is full (one or two queries)."""
    rows = list(queryset[:cap])
    count = len(rows) if len(rows) < cap else queryset.count()
    model = queryset.model
    more = list_url(model, **filters) if filters is not None else ""
    add_link = create_url(model, **(add or {})) if can_add else ""
    return Panel(title, columns, rows, count, more, add_link, testid or model._meta.model_name)


@dataclass(frozen=True)
class Blocker:
    """Records of one kind that keep another from being deleted."""

    label: str
    count: int
    url: str


def delete_blockers(obj: Model) -> list[Blocker]:
    """What stops `obj` from being deleted, found without deleting anything
    (Django's deletion collector raises before it writes)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        dependants = exc.protected_objects
    except RestrictedError as exc:
        dependants = exc.restricted_objects
    else:
        return []
    grouped: dict[type[Model], int] = {}
    for dependant in dependants:
        grouped[type(dependant)] = grouped.get(type(dependant), 0) + 1
    blockers = []
    for model, count in grouped.items():
        url = ""
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is type(obj):
                url = list_url(model, **{f.name: obj.pk})
                if url:
                    break
        opts = model._meta
        label = opts.verbose_name if count == 1 else opts.verbose_name_plural
        blockers.append(Blocker(str(label), count, url))
    return sorted(blockers, key=lambda b: b.label)
