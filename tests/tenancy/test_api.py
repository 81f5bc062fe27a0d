"""The API's authentication (session with CSRF, personal tokens), the current
member, and members and teams: read by whoever sees them, written by admins."""

from __future__ import annotations

import pytest
from django.test import Client

from rumbo.tenancy.models import ApiToken, Member, Team
from tests.tenancy.api_client import API, bearer, call, fields


def test_me_tells_who_is_calling(world) -> None:  # type: ignore[no-untyped-def]
    world.rita.user.language = "es"
    world.rita.user.save()
    me = call(world.client("rita"), "get", "/me").json()
    assert me["member"]["name"] == "Rita"
    assert me["member"]["team"]["name"] == "North"
    assert me["organization"]["name"] == "Acme"
    assert (me["role"], me["language"]) == ("rep", "es")


def test_without_credentials_the_api_answers_401(db) -> None:  # type: ignore[no-untyped-def]
    anonymous = Client()
    assert call(anonymous, "get", "/customers").status_code == 401
    assert call(anonymous, "post", "/customers", {"name": "X"}).status_code == 401
    wrong = Client(headers={"Authorization": "Bearer rmb_not-a-token"})
    assert call(wrong, "post", "/customers", {"name": "X"}).status_code == 401


def test_a_token_is_shown_once_works_and_stops_when_revoked(world) -> None:  # type: ignore[no-untyped-def]
    created = call(world.client("rita"), "post", "/tokens", {"name": "Spreadsheet"})
    assert created.status_code == 201
    assert "no-store" in created.headers["Cache-Control"]
    raw = created.json()["token"]
    token_client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert call(token_client, "get", "/me").json()["member"]["name"] == "Rita"

    listed = call(token_client, "get", "/tokens").json()
    assert [t["name"] for t in listed] == ["Spreadsheet"]
    assert "token" not in listed[0] and raw not in str(listed)
    assert raw.startswith(listed[0]["prefix"])

    # Nobody else can revoke it; its owner can.
    token_id = created.json()["id"]
    assert call(world.client("alice"), "delete", f"/tokens/{token_id}").status_code == 404
    assert call(world.client("rita"), "delete", f"/tokens/{token_id}").status_code == 204
    assert call(token_client, "get", "/me").status_code == 401
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


def test_a_token_needs_a_name(world) -> None:  # type: ignore[no-untyped-def]
    assert fields(call(world.client("rita"), "post", "/tokens", {"name": ""})) == {"name"}
    assert fields(call(world.client("rita"), "post", "/tokens", {"name": "   "})) == {"name"}
    assert not ApiToken.objects.exists()


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(world) -> None:  # type: ignore[no-untyped-def]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.rita.user)
    assert call(browser, "get", "/customers").status_code == 200  # reads need no token
    refused = call(browser, "post", "/customers", {"name": "Forged"})
    assert refused.status_code == 403
    assert (
        call(browser, "delete", f"/customers/{world.records['rita'].customer.pk}").status_code
        == 403
    )

    browser.get(f"{API}/docs")  # any page that renders a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    allowed = browser.post(
        f"{API}/customers", {"name": "Genuine"}, content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert allowed.status_code == 201

    assert call(bearer(world.rita), "post", "/customers", {"name": "Scripted"}).status_code == 201
    names = set(world.rita.customers.values_list("name", flat=True))
    assert {"Genuine", "Scripted"} <= names and "Forged" not in names


@pytest.mark.parametrize(
    "who, members, teams",
    [
        ("rita", {"rita"}, {"north"}),
        ("mark", {"mark", "rita", "nina"}, {"north", "north_east"}),
        ("alice", {"alice", "mark", "sam", "rita", "nina", "sofia"},
         {"root", "north", "north_east", "south"}),
    ],
)  # fmt: skip
def test_members_and_teams_are_listed_as_far_as_one_sees(world, who, members, teams) -> None:  # type: ignore[no-untyped-def]
    client = world.client(who)
    listed = call(client, "get", "/members?page_size=50").json()
    assert {m["id"] for m in listed["items"]} == {world.members[n].pk for n in members}
    listed = call(client, "get", "/teams").json()
    assert {t["id"] for t in listed["items"]} == {world.teams[n].pk for n in teams}
    assert call(client, "get", f"/members/{world.olga.pk}").status_code == 404
    assert call(client, "get", f"/teams/{world.teams['globex'].pk}").status_code == 404


def test_only_admins_write_members_and_teams(world) -> None:  # type: ignore[no-untyped-def]
    north = world.teams["north"].pk
    member = {"name": "Newton", "email": "newton@acme.test", "team_id": north}
    for who in ("rita", "mark"):
        client = world.client(who)
        assert call(client, "post", "/members", member).status_code == 403
        assert call(client, "post", "/teams", {"name": "West"}).status_code == 403
        assert call(client, "patch", f"/teams/{north}", {"name": "Up"}).status_code == 403
    alice = world.client("alice")
    created = call(alice, "post", "/members", member)
    assert created.status_code == 201, created.content
    assert created.json()["team"]["name"] == "North" and created.json()["has_login"] is False
    promoted = call(alice, "patch", f"/members/{created.json()['id']}", {"role": "manager"})
    assert promoted.json()["role"] == "manager"
    team = call(alice, "post", "/teams", {"name": "West", "parent_id": world.teams["root"].pk})
    assert team.status_code == 201 and team.json()["parent"]["name"] == "Acme"


def test_member_and_team_input_is_checked_per_field(world) -> None:  # type: ignore[no-untyped-def]
    alice = world.client("alice")
    foreign_team = world.teams["globex"].pk
    response = call(alice, "post", "/members", {"name": "Spy", "team_id": foreign_team})
    assert fields(response) == {"team_id"}
    response = call(alice, "post", "/members", {"name": "Dup", "email": "rita@acme.test"})
    assert response.status_code == 422
    north, north_east = world.teams["north"].pk, world.teams["north_east"].pk
    response = call(alice, "patch", f"/teams/{north}", {"parent_id": north_east})
    assert fields(response) == {"parent_id"}
    assert Team.objects.get(pk=north).parent_id == world.teams["root"].pk
    assert not Member.objects.filter(name__in=["Spy", "Dup"]).exists()


def test_people_and_teams_in_use_cannot_be_deleted(world) -> None:  # type: ignore[no-untyped-def]
    alice = world.client("alice")
    response = call(alice, "delete", f"/members/{world.rita.pk}")
    assert response.status_code == 409 and "depend" in response.json()["detail"]
    assert call(alice, "delete", f"/teams/{world.teams['north_east'].pk}").status_code == 409
    empty = Team.objects.create(organization=world.acme, name="Empty")
    assert call(alice, "delete", f"/teams/{empty.pk}").status_code == 204
    assert call(alice, "delete", f"/members/{world.olga.pk}").status_code == 404


@pytest.mark.parametrize("resource", ["members", "teams"])
def test_member_and_team_lists_use_a_fixed_number_of_queries(
    world, resource, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(6):
        team = Team.objects.create(organization=world.acme, name=f"Extra {n}",
                                   parent=world.teams["north"], manager=world.nina)  # fmt: skip
        Member.objects.create(organization=world.acme, name=f"Extra {n}", team=team)
    mark = world.client("mark")
    with django_assert_max_num_queries(6):
        response = call(mark, "get", f"/{resource}")
    assert response.json()["count"] >= 6
