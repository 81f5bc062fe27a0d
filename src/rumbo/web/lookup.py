"""`/lookup/<kind>/?q=`: the small JSON search behind `LookupWidget`.

Apps register a `Lookup` per kind of record. Every answer reads through
`visible_to(request.member)`: a rep finds only their own customers, and an id of
another organisation (`?id=`, or a narrowing parameter like `?customer=`)
answers 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

LIMIT = 20


@dataclass(frozen=True)
class Lookup:
    """How to search one kind of record and describe each match."""

    model: type[Model]
    search: list[str]
    order: list[str]
    hint: Callable[[Any], str] | None = None
    select_related: list[str] = field(default_factory=list)
    # Narrowing parameters: query-string name -> (model of the id, field lookup).
    narrow: dict[str, tuple[type[Model], str]] = field(default_factory=dict)

    def queryset(self, member: Any) -> Any:
        qs = self.model.objects.visible_to(member)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def row(self, obj: Any) -> dict[str, Any]:
        return {"id": obj.pk, "label": str(obj), "hint": self.hint(obj) if self.hint else ""}


LOOKUPS: dict[str, Lookup] = {}


def register(kind: str, lookup: Lookup) -> None:
    LOOKUPS[kind] = lookup


def _visible_id(model: type[Model], member: Any, raw: str) -> int:
    """The id if `member` can see that record; otherwise 404 (never 403)."""
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    if not model.objects.visible_to(member).filter(pk=pk).exists():  # type: ignore[attr-defined]
        raise Http404
    return pk


def search(lookup: Lookup, member: Any, params: Any) -> tuple[list[Any], bool]:
    qs = lookup.queryset(member)
    if params.get("id"):
        obj = qs.filter(pk=_visible_id(lookup.model, member, params["id"])).first()
        return [obj], False
    for name, (model, path) in lookup.narrow.items():
        if params.get(name):
            qs = qs.filter(**{path: _visible_id(model, member, params[name])})
    words = (params.get("q") or "").split()
    for word in words[:5]:
        query = Q()
        for field_name in lookup.search:
            query |= Q(**{f"{field_name}__icontains": word})
        qs = qs.filter(query)
    rows = list(qs.order_by(*lookup.order)[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


@login_required
@require_GET
def lookup_view(request: HttpRequest, kind: str) -> JsonResponse:
    member = getattr(request, "member", None)
    lookup = LOOKUPS.get(kind)
    if member is None or lookup is None:
        raise Http404
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        # No stored text holds one (web/text.py), and PostgreSQL cannot compare it.
        return JsonResponse({"detail": _("Remove the NUL character.")}, status=400)
    rows, more = search(lookup, member, request.GET)
    return JsonResponse({"results": [lookup.row(obj) for obj in rows], "more": more})
