"""Members and teams pages: who sees whom, the team tree, the member form,
inviting a person without a login, refused deletes and query-count pins."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rumbo.tenancy.models import Invitation, Member, Team
from tests import factories as f

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def names(response: Any) -> list[str]:
    body = html(response).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td[^>]*><a href=\"[^\"]+\">([^<]+)</a>", body)


def test_admin_lists_the_whole_organisation_and_filters_it(world) -> None:  # type: ignore[no-untyped-def]
    f.MemberFactory(organization=world.acme, name="Paco", email="paco@x.test", team=None)
    client = world.client("alice")
    url = reverse("tenancy:member_list")
    assert set(names(client.get(url))) == {
        "Alice", "Mark", "Sam", "Rita", "Nina", "Sofia", "Paco",
    }  # fmt: skip
    assert names(client.get(url + "?has_login=false")) == ["Paco"]
    assert names(client.get(url + f"?team={world.teams['north'].pk}")) == ["Mark", "Rita"]
    assert names(client.get(url + "?role=manager")) == ["Mark", "Sam"]


def test_manager_sees_own_teams_people_and_rep_is_kept_out_of_people_pages(world) -> None:  # type: ignore[no-untyped-def]
    mark = world.client("mark")
    assert names(mark.get(reverse("tenancy:member_list"))) == ["Mark", "Nina", "Rita"]
    assert mark.get(reverse("tenancy:member_detail", args=[world.sofia.pk])).status_code == 404
    assert mark.get(reverse("tenancy:member_create")).status_code == 403
    rita = world.client("rita")
    assert rita.get(reverse("tenancy:member_detail", args=[world.nina.pk])).status_code == 404
    assert rita.get(reverse("tenancy:member_detail", args=[world.oscar.pk])).status_code == 404


def test_admin_adds_a_member_without_a_login(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").post(
        reverse("tenancy:member_create"),
        {"name": "Paco", "email": "paco@acme.test", "role": "rep",
         "team": world.teams["south"].pk, "is_active": "on"},
    )  # fmt: skip
    paco = Member.objects.get(name="Paco")
    assert response.status_code == 302
    assert (paco.organization_id, paco.team_id, paco.user_id) == (
        world.acme.pk, world.teams["south"].pk, None,
    )  # fmt: skip


def test_member_form_refuses_another_organisations_team_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").post(
        reverse("tenancy:member_create"),
        {"name": "Paco", "email": "paco@acme.test", "role": "rep",
         "team": world.teams["globex"].pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'data-testid="error-team"' in html(response)
    assert not Member.objects.filter(name="Paco").exists()


def test_member_without_login_can_be_invited_from_the_page(world) -> None:  # type: ignore[no-untyped-def]
    paco = f.MemberFactory(organization=world.acme, name="Paco", email="paco@acme.test")
    client = world.client("alice")
    page = html(client.get(reverse("tenancy:member_detail", args=[paco.pk])))
    assert 'data-testid="invite"' in page and "Send an invitation" in page
    response = client.post(reverse("tenancy:member_invite", args=[paco.pk]))
    assert response.status_code == 302
    assert Invitation.objects.filter(member=paco).count() == 1
    assert mail.outbox[-1].to == ["paco@acme.test"]
    again = html(client.get(reverse("tenancy:member_detail", args=[paco.pk])))
    assert "An invitation was sent" in again and "Send the invitation again" in again


def test_member_with_a_login_shows_it_and_offers_no_invitation(world) -> None:  # type: ignore[no-untyped-def]
    page = html(world.client("alice").get(reverse("tenancy:member_detail", args=[world.rita.pk])))
    assert "Logs in as rita@acme.test." in page and 'data-testid="invite"' not in page


def test_member_page_shows_the_records_they_own(world) -> None:  # type: ignore[no-untyped-def]
    page = html(world.client("mark").get(reverse("tenancy:member_detail", args=[world.rita.pk])))
    assert "Rita deal" in page and "Rita customer" in page
    assert f"/deals/?owner={world.rita.pk}" in page
    assert f"/complaints/?rep={world.rita.pk}" in page
    assert 'data-testid="figures"' in page and "€1,200.00" in page


def test_member_who_owns_records_cannot_be_deleted(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    page = html(client.get(reverse("tenancy:member_delete", args=[world.rita.pk])))
    assert 'data-testid="delete-refused"' in page and f"/deals/?owner={world.rita.pk}" in page
    response = client.post(reverse("tenancy:member_delete", args=[world.rita.pk]))
    assert response.status_code == 409
    assert Member.objects.filter(pk=world.rita.pk).exists()


def test_team_list_is_the_tree_in_order(world) -> None:  # type: ignore[no-untyped-def]
    page = html(world.client("alice").get(reverse("tenancy:team_list")))
    tree = re.findall(r'data-depth="(\d)">\s*<span>.*?class="fw-semibold">([^<]+)</a>', page, re.S)
    assert tree == [("0", "Acme"), ("1", "North"), ("2", "North-East"), ("1", "South")]
    assert "Globex" not in page
    mark = html(world.client("mark").get(reverse("tenancy:team_list")))
    assert re.findall(r'class="fw-semibold">([^<]+)</a>', mark) == ["North", "North-East"]


def test_team_is_created_below_a_parent_and_cycles_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    north = world.teams["north"]
    response = client.post(
        reverse("tenancy:team_create"), {"name": "North-West", "parent": north.pk}
    )
    assert response.status_code == 302
    assert Team.objects.get(name="North-West").parent_id == north.pk
    response = client.post(
        reverse("tenancy:team_edit", args=[north.pk]),
        {"name": "North", "parent": world.teams["north_east"].pk, "manager": world.mark.pk},
    )
    assert response.status_code == 400
    assert "A team cannot be placed below itself." in html(response)
    north.refresh_from_db()
    assert north.parent_id == world.teams["root"].pk


def test_team_page_lists_its_members_and_teams_below(world) -> None:  # type: ignore[no-untyped-def]
    page = html(
        world.client("alice").get(reverse("tenancy:team_detail", args=[world.teams["north"].pk]))
    )
    assert "Rita" in page and "Mark" in page and "North-East" in page
    assert f"/members/?team={world.teams['north'].pk}" in page


# Session, user, member, count, rows, the navbar's unread-notification count.
PINS = {"tenancy:member_list": 7, "tenancy:team_list": 7}


@pytest.mark.parametrize("url_name", sorted(PINS))
def test_people_pages_query_count_is_fixed(world, url_name, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(url_name))
    parent = world.teams["north"]
    for i in range(20):
        team = f.TeamFactory(organization=world.acme, parent=parent, name=f"Squad {i}")
        f.MemberFactory(organization=world.acme, team=team)
    with django_assert_max_num_queries(PINS[url_name]):
        assert client.get(reverse(url_name)).status_code == 200
    assert len(small) <= PINS[url_name]


def test_member_list_offers_an_invitation_to_people_without_a_login(world) -> None:  # type: ignore[no-untyped-def]
    paco = f.MemberFactory(organization=world.acme, name="Paco", email="paco@acme.test",
                           team=world.teams["north"])  # fmt: skip
    nomail = f.MemberFactory(organization=world.acme, name="Nomail", email="",
                             team=world.teams["north"])  # fmt: skip
    admin = html(world.client("alice").get(reverse("tenancy:member_list")))
    assert f'data-testid="invite-{paco.pk}"' in admin
    assert f'data-testid="invite-{nomail.pk}"' not in admin
    assert f'data-testid="invite-{world.rita.pk}"' not in admin
    manager = html(world.client("mark").get(reverse("tenancy:member_list")))
    assert "Paco" in manager and f'data-testid="invite-{paco.pk}"' not in manager
