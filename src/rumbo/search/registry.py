"""The kinds of record the search box finds, registered by the apps that own them.

Search knows no model by name: sales registers customers, contacts and deals,
goals its goals (each in its AppConfig.ready, as apps register their metrics);
people are registered by search itself, because tenancy sits below every app
and imports none. A later app (courses, resources) adds its kind the same way
and appears in the box, the page and the API with nothing else to change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Kind:
    """How to find one kind of record and tell namesakes apart.

    `fields` are matched accent- and case-blind (every word of the query must
    be in one of them); the first is also the name results starting with the
    query sort by. `describe(record)` is the hint beside a result (a customer's
    city and email, a deal's customer, amount and stage). Records are read
    through `model.objects.visible_to(member)`: nothing else is searched.

    `pages` names the kind's URLs ("sales:customer" for sales:customer_detail
    and sales:customer_list); `list_param` is the list's search filter, which
    the "see all" link fills with the query."""

    key: str
    label: Any
    model: type[Model]
    fields: tuple[str, ...]
    describe: Callable[[Any], str]
    pages: str
    list_param: str = "q"
    order: tuple[str, ...] = ("pk",)
    related: tuple[str, ...] = ()
    position: int = 100


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add (or replace, on a second ready()) a kind of record to search."""
    KINDS[kind.key] = kind


def kinds() -> list[Kind]:
    """Every registered kind, in the order the results show them."""
    return sorted(KINDS.values(), key=lambda kind: (kind.position, kind.key))


def hint(*parts: Any) -> str:
    """The non-empty parts, joined as a hint reads: "Sevilla · ana@example.com"."""
    return " · ".join(str(part) for part in parts if part not in (None, ""))
