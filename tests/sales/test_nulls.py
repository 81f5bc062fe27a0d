"""An explicit null is never a 500 (issue 14): on a create it means "unset"
(the field's default applies: the owner is you), on a change of a field that
cannot be empty it is a field error, on every record kind alike."""

from __future__ import annotations

import pytest

from rumbo.sales.models import Deal, Product
from tests.personas import World
from tests.tenancy.api_client import bearer, call, fields

pytestmark = pytest.mark.django_db


def test_a_null_owner_on_create_means_you(world: World) -> None:
    for name in ("rita", "alice"):
        answer = call(bearer(world.members[name]), "POST", "/deals",
                      {"name": f"{name} x", "amount": "1", "owner_id": None})  # fmt: skip
        assert answer.status_code == 201, answer.content
        assert Deal.objects.get(pk=answer.json()["id"]).owner_id == world.members[name].pk


def test_a_null_text_or_owner_in_a_change_is_a_field_error(world: World) -> None:
    product = world.catalogue["acme"]["product"]
    alice = bearer(world.alice)
    assert fields(call(alice, "PATCH", f"/products/{product.pk}", {"category": None})) == {
        "category"}  # fmt: skip
    assert Product.objects.get(pk=product.pk).category == product.category
    deal = world.records["rita"].deal
    answer = call(alice, "PATCH", f"/deals/{deal.pk}", {"owner_id": None, "external_id": None})
    assert fields(answer) == {"owner_id", "external_id"}
    assert "may not be null" in answer.content.decode()
    assert Deal.objects.get(pk=deal.pk).owner_id == world.rita.pk


@pytest.mark.parametrize("path", ["customers", "contacts", "products", "techniques", "rates",
                                  "deals", "activities", "surveys", "complaints", "goals"])
def test_every_change_refuses_nulls_without_a_server_error(world: World, path: str) -> None:
    """Every field of every kind, sent as null in a change: 200 (a field that may
    be empty) or 422, never 500."""
    from tests.access.world import prepare

    prepare(world)
    alice = bearer(world.alice)
    first = call(alice, "GET", f"/{path}").json()["items"][0]
    for key in first:
        if key in ("id", "version"):
            continue
        answer = call(alice, "PATCH", f"/{path}/{first['id']}", {key: None})
        assert answer.status_code in (200, 422), (key, answer.status_code, answer.content[:200])
