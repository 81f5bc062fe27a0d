"""Whose a new goal is, as each person meets the form: a rep's and an
independent seller's goals are their own (said, not asked), a manager starts
from their team, an admin from the organisation and may pick a team or person."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rumbo.goals.models import Goal, State
from rumbo.tenancy.models import Member
from tests.personas import World
from tests.solo import make_seller

pytestmark = pytest.mark.django_db

BODY = {"name": "Q1 revenue", "metric": "revenue", "target": "3000",
        "start": "2026-01-01", "end": "2026-03-31"}  # fmt: skip


@pytest.fixture
def seller() -> Member:
    return make_seller()


def client_of(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)  # type: ignore[arg-type]
    return client


def selected(html: str, field: str) -> str:
    """The text of the chosen option of a <select> (empty when none is)."""
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select, f"no {field} select"
    chosen = re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", select.group(0))
    return chosen.group(1).strip("—") if chosen else ""


def test_independent_seller_is_told_the_goal_is_hers_and_it_is(seller: Member) -> None:
    client = client_of(seller)
    html = client.get(reverse("goals:goal_create")).content.decode()
    assert 'name="member"' not in html and 'name="team"' not in html
    assert "Whose goal" in html and 'value="Ana Ruiz"' in html
    assert "it shows on your home page" in html
    today = timezone.localdate()
    running = {**BODY, "start": today - dt.timedelta(days=20), "end": today + dt.timedelta(days=40),
               "milestones": f"{today + dt.timedelta(days=10)}: 1000"}  # fmt: skip
    answer = client.post(reverse("goals:goal_create"), running)
    assert answer.status_code == 302, answer.content.decode()
    goal = Goal.objects.get(name="Q1 revenue")
    assert (goal.member_id, goal.team_id, goal.state) == (seller.pk, None, State.ACTIVE)
    home = client.get("/").content.decode()
    main = home[home.index('data-testid="main-goal"') :]
    assert "Q1 revenue" in main[: main.index('data-testid="goal-sentence"')]


def test_independent_sellers_old_organisation_goal_becomes_hers_when_saved(seller: Member) -> None:
    old = Goal.objects.create(
        organization=seller.organization, metric="revenue", target=10, start="2026-01-01",
        end="2026-03-31", name="December revenue",
    )  # fmt: skip
    client = client_of(seller)
    answer = client.post(reverse("goals:goal_edit", args=[old.pk]), {**BODY, "version": 1})
    assert answer.status_code == 302, answer.content.decode()
    old.refresh_from_db()
    assert (old.member_id, old.team_id) == (seller.pk, None)


def test_a_goal_sent_without_an_owner_through_the_api_is_the_sellers_own(seller: Member) -> None:
    from rumbo.goals.services import goal_save

    goal = goal_save(actor=seller, goal=Goal(metric="revenue", target=5, start="2026-01-01",
                                             end="2026-01-31"), creating=True)  # fmt: skip
    assert goal.member_id == seller.pk and goal.state == State.ACTIVE


def test_rep_proposes_her_own_goal_whoever_the_request_names(world: World) -> None:
    client = world.client("rita")
    html = client.get(reverse("goals:goal_create")).content.decode()
    assert 'name="member"' not in html and 'value="Rita"' in html
    assert "your manager approves it before it counts" in html
    answer = client.post(reverse("goals:goal_create"), {**BODY, "member": world.nina.pk})
    assert answer.status_code == 302
    goal = Goal.objects.get(name="Q1 revenue")
    assert (goal.member_id, goal.state) == (world.rita.pk, State.PROPOSED)


def test_manager_starts_from_their_team_and_a_rep_chosen_replaces_it(world: World) -> None:
    client = world.client("mark")
    html = client.get(reverse("goals:goal_create")).content.decode()
    assert selected(html, "team") == "North" and selected(html, "member") == ""
    north = world.teams["north"].pk
    assert client.post(reverse("goals:goal_create"), {**BODY, "team": north}).status_code == 302
    assert Goal.objects.get(name="Q1 revenue").team_id == north
    rita = {**BODY, "name": "Rita Q1", "member": world.rita.pk, "team": north}
    answer = client.post(reverse("goals:goal_create"), rita)
    assert answer.status_code == 302
    ritas = Goal.objects.get(name="Rita Q1")
    assert (ritas.member_id, ritas.team_id) == (world.rita.pk, None)


def test_manager_leaving_both_empty_is_told_where_and_nothing_is_written(world: World) -> None:
    answer = world.client("mark").post(reverse("goals:goal_create"), BODY)
    assert answer.status_code == 400
    html = answer.content.decode()
    error = html[html.index('data-testid="error-team"') :]
    assert "goals for the whole organisation are set by an admin" in error[:300]
    assert not Goal.objects.exists()


def test_admin_starts_from_the_organisation_and_may_choose(world: World) -> None:
    client = world.client("alice")
    html = client.get(reverse("goals:goal_create")).content.decode()
    assert selected(html, "team") == "" and selected(html, "member") == ""
    assert client.post(reverse("goals:goal_create"), BODY).status_code == 302
    goal = Goal.objects.get(name="Q1 revenue")
    assert (goal.member_id, goal.team_id) == (None, None)
    both = client.post(reverse("goals:goal_create"), {**BODY, "name": "Both",
                       "member": world.rita.pk, "team": world.teams["south"].pk})  # fmt: skip
    assert both.status_code == 400 and "not both" in both.content.decode()
    assert not Goal.objects.filter(name="Both").exists()
