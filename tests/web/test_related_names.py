"""ADR 0011: a record you can see names the records it points at, as plain
text when you cannot open them — on pages, in the API, exports and lookups
alike (issue 14 found each surface answering differently)."""

from __future__ import annotations

import pytest

from rumbo.sales.models import Deal
from tests.tenancy.api_client import bearer

pytestmark = pytest.mark.django_db


def test_a_reps_deal_names_a_customer_of_another_rep_without_a_link(world) -> None:  # type: ignore[no-untyped-def]
    deal = world.records["rita"].deal
    theirs = world.records["sofia"].customer  # Sofia's (South): Rita cannot open it
    Deal.objects.filter(pk=deal.pk).update(customer=theirs)  # as a manager attached it
    browser = world.client("rita")
    assert browser.get(f"/customers/{theirs.pk}/").status_code == 404

    page = browser.get(f"/deals/{deal.pk}/").content.decode()
    assert "Sofia customer" in page
    assert f'href="/customers/{theirs.pk}/"' not in page
    assert "Sofia customer" in browser.get("/deals/").content.decode()
    export = browser.get("/export/deals/?format=csv")
    assert "Sofia customer" in b"".join(export.streaming_content).decode("utf-8-sig")

    api = bearer(world.rita)
    assert api.get(f"/api/v1/deals/{deal.pk}").json()["customer"] == {
        "id": theirs.pk, "name": "Sofia customer"}  # fmt: skip
    # Lookups offer only what Rita may choose, and a deal's hint names its customer.
    found = browser.get("/lookup/deal/", {"q": "Rita"}).json()["results"]
    assert [row["hint"].split(" · ")[0] for row in found] == ["Sofia customer"]
    assert browser.get("/lookup/customer/", {"q": "Sofia"}).json()["results"] == []


def test_a_team_names_its_manager_to_everyone_who_sees_the_team(world) -> None:  # type: ignore[no-untyped-def]
    api = bearer(world.rita)
    mark = world.mark
    assert api.get(f"/api/v1/members/{mark.pk}").status_code == 404  # Rita cannot open Mark
    teams = {t["name"]: t for t in api.get("/api/v1/teams").json()["items"]}
    assert teams["North"]["manager"] == {"id": mark.pk, "name": "Mark"}
    assert teams["North"]["manager_id"] == mark.pk
    page = world.client("rita").get(f"/teams/{world.teams['north'].pk}/").content.decode()
    assert "Mark" in page and f'href="/members/{mark.pk}/"' not in page


def test_a_rep_edits_their_deal_and_keeps_a_customer_they_cannot_open(world) -> None:  # type: ignore[no-untyped-def]
    deal = world.records["rita"].deal
    theirs = world.records["sofia"].customer
    Deal.objects.filter(pk=deal.pk).update(customer=theirs)
    api = bearer(world.rita)
    renamed = api.patch(f"/api/v1/deals/{deal.pk}", {"name": "Renamed"},
                        content_type="application/json")  # fmt: skip
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["customer"]["name"] == "Sofia customer"
    # Choosing it anew is still refused: she cannot choose what she cannot see.
    other = world.records["rita"].activity
    chosen = api.patch(f"/api/v1/activities/{other.pk}", {"customer_id": theirs.pk},
                       content_type="application/json")  # fmt: skip
    assert chosen.status_code == 422
    # The edit page names it in the customer box.
    page = world.client("rita").get(f"/deals/{deal.pk}/edit/").content.decode()
    assert 'value="Sofia customer"' in page
