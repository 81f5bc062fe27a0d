"""The personas world as the walk uses it: who walks, which records exist and
which texts name them (to notice a record leaking onto a page it should not)."""

from __future__ import annotations

from typing import Any

from django.db import models

from rumbo.tenancy.models import ApiToken, Member
from rumbo.tenancy.services import api_token_create
from tests.personas import World

# Every persona of both organisations; None is the anonymous visitor.
PERSONAS = ["alice", "mark", "sam", "rita", "nina", "sofia", "oscar", "olga"]


def records_of(model: type[models.Model]) -> list[Any]:
    """Every row of `model` in the test database (both organisations)."""
    return list(model._default_manager.order_by("pk"))


def labelled_records(world: World) -> list[tuple[str, Any]]:
    """(text, record) for texts that only a page about that record (or one
    listing it) would show: "Rita deal", "Sofia complaint", "Globex widget"."""
    found: list[tuple[str, Any]] = []
    for r in world.records.values():
        found += [(r.customer.name, r.customer), (r.contact.name, r.contact),
                  (r.deal.name, r.deal), (r.activity.notes, r.activity),
                  (r.survey.comment, r.survey), (r.complaint.description, r.complaint)]  # fmt: skip
    for items in world.catalogue.values():
        found += [(items["product"].name, items["product"]),
                  (items["technique"].name, items["technique"])]  # fmt: skip
    return found


def api_tokens(world: World) -> dict[str, str]:
    """A bearer token per persona: each one is also a record that everybody but
    its holder must be refused."""
    raw = {}
    for name in PERSONAS:
        member: Member = world.members[name]
        _token, raw[name] = api_token_create(member=member, name=f"{name} walk token")
    return raw


def token_rows() -> list[ApiToken]:
    return list(ApiToken.objects.select_related("member").order_by("pk"))
