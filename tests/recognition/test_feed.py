"""The team feed: a rep sees her own and her teammates' moments, a manager
those of his teams, an admin everyone's — never another organisation's, and
never another team's. The home page and a person's page show them too."""

from __future__ import annotations

import pytest

from rumbo.recognition.models import Badge
from rumbo.recognition.services import badge_award, kudos_give, rule_settings_set
from tests.personas import World

pytestmark = pytest.mark.django_db
FEED = "/recognition/"


@pytest.fixture
def moments(world: World) -> World:
    kudos_give(actor=world.mark, receiver=world.rita, text="Rita closed the big one")
    kudos_give(actor=world.alice, receiver=world.sofia, text="Sofia calmed an angry customer")
    kudos_give(actor=world.oscar, receiver=world.olga, text="Olga in Globex rocks")
    day = world.rita.organization.created_at.date() if hasattr(world.acme, "created_at") else None
    for name in ("rita", "sofia", "olga"):
        badge_award(member=world.members[name], rule="promoter", subject_key="customer:1",
                    day=day or __import__("datetime").date(2026, 11, 3))  # fmt: skip
    return world


def test_a_rep_sees_her_team_feed_and_nothing_else(moments: World) -> None:
    response = moments.client("rita").get(FEED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rita closed the big one" in body
    assert "Mark thanks Rita" in body
    assert "Sofia calmed an angry customer" not in body  # a sibling team
    assert "Olga in Globex rocks" not in body  # another organisation
    assert body.count('data-testid="moment-badge"') == 1  # her own promoter badge
    assert "Promoter" in body


def test_a_manager_sees_his_teams_and_an_admin_everyone_of_hers(moments: World) -> None:
    sam = moments.client("sam").get(FEED).content.decode()
    assert "Sofia calmed an angry customer" in sam and "Rita closed the big one" not in sam
    alice = moments.client("alice").get(FEED).content.decode()
    assert "Sofia calmed" in alice and "Rita closed" in alice and "Olga in Globex" not in alice
    assert alice.count('data-testid="moment-badge"') == 2


def test_another_organisations_admin_sees_only_his(moments: World) -> None:
    body = moments.client("oscar").get(FEED).content.decode()
    assert "Olga in Globex rocks" in body
    assert "Rita" not in body and "Sofia" not in body


def test_the_home_card_and_the_profile_show_a_persons_moments(moments: World) -> None:
    home = moments.client("rita").get("/").content.decode()
    assert 'hx-get="/recognition/card/"' in home
    card = moments.client("rita").get("/recognition/card/").content.decode()
    assert "Rita closed the big one" in card and "1 kudos, 1 badges" in card
    profile = moments.client("mark").get(f"/members/{moments.rita.pk}/").content.decode()
    assert 'data-testid="panel-recognition"' in profile
    assert "Kudos from Mark: “Rita closed the big one”" in profile
    assert "Badge: Promoter" in profile


def test_a_peer_reads_a_badge_without_its_link(moments: World) -> None:
    badge = Badge.objects.get(member=moments.rita)
    Badge.objects.filter(pk=badge.pk).update(link=f"/deals/{moments.records['rita'].deal.pk}/")
    mark = moments.client("mark").get(FEED).content.decode()
    assert f'href="/deals/{moments.records["rita"].deal.pk}/"' in mark
    # Mark is Rita's peer in the North team's feed too, but a rep cannot open Mark's
    # records: a badge of Mark's shows on Rita's feed without its link.
    badge_award(member=moments.mark, rule="promoter", subject_key="customer:9",
                day=badge.earned_on, link=f"/deals/{moments.records['mark'].deal.pk}/")  # fmt: skip
    rita = moments.client("rita").get(FEED).content.decode()
    assert rita.count('data-testid="moment-badge"') == 2
    assert f"/deals/{moments.records['mark'].deal.pk}/" not in rita


def test_only_admins_switch_the_rules(world: World) -> None:
    assert world.client("mark").get("/recognition/settings/").status_code == 403
    assert world.client("rita").post("/recognition/settings/", {"rules": []}).status_code == 403
    response = world.client("alice").post("/recognition/settings/", {"rules": ["promoter"]})
    assert response.status_code == 302
    page = world.client("alice").get("/recognition/settings/").content.decode()
    assert 'value="promoter" id="rule-promoter" checked' in page
    assert 'value="milestone" id="rule-milestone">' in page
    assert rule_settings_set(actor=world.alice, enabled=["promoter"]) == {"promoter"}
