"""A home for each role (issue 17, item 4): people who do not sell never get a
seller's empty page; a manager's and the director's homes list what needs
them, and that list never contradicts the cards above it."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from rumbo.sales.models import Complaint
from tests import factories as f
from tests.dashboards.conftest import goal
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


def _page(world, name: str, url: str = "/") -> Page:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        response = world.client(name).get(url)
    assert response.status_code == 200
    return Page(response.content)


def test_a_manager_who_does_not_sell_gets_his_team_not_a_sellers_page(dash) -> None:  # type: ignore[no-untyped-def]
    """Sam manages South and owns nothing: his home is his team's, it has no
    "My goals" tab, and the seller's page sends him home."""
    home = _page(dash, "sam")
    assert home.has("rep-table") and home.has("attention")
    assert not home.has("tab-my-goals") and not home.has("main-goal")
    answer = dash.client("sam").get(reverse("dashboards:rep"))
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    # Drilling into one of his reps still works.
    drill = dash.client("sam").get(reverse("dashboards:rep"), {"rep": dash.sofia.pk})
    assert drill.status_code == 200


def test_the_director_gets_the_organisation_not_a_sellers_page(dash) -> None:  # type: ignore[no-untyped-def]
    home = _page(dash, "alice")
    assert home.has("attention") and home.has("team-table") and home.has("scorecard-panel")
    assert not home.has("tab-my-goals")
    teams = home.all("leaderboard-panel")[0].text()
    assert teams.startswith("Teams by score")
    assert dash.client("alice").get(reverse("dashboards:rep")).status_code == 302


def test_a_manager_who_sells_gets_both(dash) -> None:  # type: ignore[no-untyped-def]
    """Mark owns a deal closed this week: his home is his team's, and "My
    goals" is his own seller's page with his own figures."""
    home = _page(dash, "mark")
    assert home.has("attention") and home.has("tab-my-goals")
    mine = _page(dash, "mark", reverse("dashboards:rep"))
    assert mine.has("main-goal")
    own = Complaint.objects.filter(rep=dash.mark).exclude(status="resolved").count()
    assert mine.text("figure-complaints") == str(own)


def test_a_quota_makes_a_seller_of_a_manager(dash) -> None:  # type: ignore[no-untyped-def]
    assert not _page(dash, "sam").has("tab-my-goals")
    goal(dash, "alice", member=dash.sam, name="Sam's own revenue")
    assert _page(dash, "sam").has("tab-my-goals")
    assert dash.client("sam").get(reverse("dashboards:rep")).status_code == 200


def _open(world, name: str) -> int:  # type: ignore[no-untyped-def]
    return (Complaint.objects.visible_to(world.members[name])
            .exclude(status="resolved").count())  # fmt: skip


@pytest.mark.parametrize("name", ["mark", "sam", "alice"])
def test_what_needs_you_lists_the_complaints_the_card_counts(dash, name) -> None:  # type: ignore[no-untyped-def]
    customer = dash.records["sofia"].customer
    for _ in range(6):
        f.ComplaintFactory(organization=dash.acme, rep=dash.sofia, customer=customer)
    home = _page(dash, name)
    count = _open(dash, name)
    assert home.text("figure-complaints") == str(count)
    assert len(home.all("attention-complaint")) == min(count, 5)
    if count > 5:
        assert home.text("attention-complaints-more").startswith(f"{count} complaints open")
    assert not home.has("attention-none")


@pytest.mark.parametrize("name", ["rita", "sam", "alice"])
def test_nothing_urgent_never_sits_under_open_complaints(dash, name) -> None:  # type: ignore[no-untyped-def]
    """Whatever the page says about urgency agrees with its complaints card,
    before and after every complaint is resolved."""
    for resolve in (False, True):
        if resolve:
            Complaint.objects.filter(organization=dash.acme).update(
                status="resolved", resolved_at=F("opened_at"))  # fmt: skip
        home = _page(dash, name)
        card = int(home.text("figure-complaints"))
        assert card == _open(dash, name)
        calm = home.has("attention-none") or "Nothing urgent" in home.root.text()
        listed = home.all("attention-complaint") + home.all("todo-complaint")
        assert bool(listed) == (card > 0)
        if card:
            assert not calm


def test_people_behind_and_proposals_are_on_the_managers_list(dash) -> None:  # type: ignore[no-untyped-def]
    """Rita's stretch proposal waits for Mark; her goals that are behind
    show by her name (the same statuses as her goal pages)."""
    from decimal import Decimal

    from rumbo.goals import selectors as goal_selectors
    from rumbo.goals.models import Status
    from rumbo.goals.progress import goals_recompute

    goal(dash, "mark", member=dash.rita, name="Rita moonshot", target=Decimal(10**9))
    goals_recompute(organization=dash.acme)
    home = _page(dash, "mark")
    assert any("Rita stretch" in t for t in home.texts("attention-proposal"))
    behind = [
        g for g in goal_selectors.goals_visible(dash.mark).filter(member=dash.rita, state="active")
        if getattr(g, "latest_status", None) in (Status.AT_RISK, Status.OFF_TRACK)
    ]  # fmt: skip
    people = " ".join(home.texts("attention-person"))
    assert any(g.name == "Rita moonshot" for g in behind)
    for g in behind:
        assert f"Rita: {g}" in people
