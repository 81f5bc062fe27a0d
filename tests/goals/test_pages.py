"""Goal pages as people use them: the list with progress, a goal's timeline and
sentence, a rep's proposal through the form, approval, and access."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from rumbo.goals.models import Goal, Progress, State
from tests.goals.conftest import D, make_goal

pytestmark = pytest.mark.django_db


def test_list_shows_each_goal_with_its_progress(sales, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    world = sales
    for target in (1000, 2000, 3000):
        make_goal(world, "alice", member=world.rita, target=Decimal(target))
    client = world.client("rita")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("goals:goal_list")).content.decode()
    assert page.count('data-testid="goal-bar"') == 3


def test_detail_carries_the_timeline_and_says_where_it_stands(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    year = world.acme.created_at.year
    goal = make_goal(world, "alice", member=world.rita, start=D(year, 1, 1), end=D(year, 12, 31))
    response = world.client("rita").get(reverse("goals:goal_detail", args=[goal.pk]))
    html = response.content.decode()
    assert 'data-testid="goal-sentence"' in html
    start = html.index('id="goal-timeline-data"')
    payload = html[html.index(">", start) + 1: html.index("</script>", start)]
    data = json.loads(payload)
    assert data["labels"][0] == goal.start.isoformat()
    assert data["labels"][-1] == goal.end.isoformat()
    assert len(data["expected"]) == len(data["labels"])


def test_rep_proposes_through_the_form_and_manager_approves(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    rita = world.client("rita")
    response = rita.post(reverse("goals:goal_create"), {
        "name": "My Q1", "metric": "deals_won", "member": world.rita.pk, "target": "30",
        "start": "2026-01-01", "end": "2026-03-31", "milestones": "2026-02-15: 12",
    })  # fmt: skip
    assert response.status_code == 302
    goal = Goal.objects.get(name="My Q1")
    assert goal.state == State.PROPOSED and goal.milestones.count() == 1
    page = world.client("mark").get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert reverse("goals:goal_approve", args=[goal.pk]) in page
    world.client("mark").post(reverse("goals:goal_approve", args=[goal.pk]))
    assert Goal.objects.get(pk=goal.pk).state == State.ACTIVE


def test_bad_form_says_what_is_wrong_and_writes_nothing(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    response = world.client("alice").post(reverse("goals:goal_create"), {
        "metric": "revenue", "member": world.rita.pk, "target": "100", "start": "2026-03-01",
        "end": "2026-01-01", "milestones": "next week: lots",
    })  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 1" in html
    assert not Goal.objects.exists()


def test_other_people_and_organisations_goals_answer_404(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    ritas = make_goal(world, "alice", member=world.rita)
    globex = make_goal(world, "oscar", member=world.members["olga"])
    url = reverse("goals:goal_detail", args=[ritas.pk])
    assert world.client("sofia").get(url).status_code == 404
    assert world.client("sam").get(url).status_code == 404
    assert world.client("mark").get(url).status_code == 200
    assert world.client("alice").get(
        reverse("goals:goal_detail", args=[globex.pk])).status_code == 404


def test_team_goal_is_visible_to_its_reps_but_not_editable(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "mark", team=world.teams["north"])
    rita = world.client("rita")
    assert rita.get(reverse("goals:goal_detail", args=[goal.pk])).status_code == 200
    assert rita.get(reverse("goals:goal_edit", args=[goal.pk])).status_code == 403


def test_the_chance_reads_the_same_on_the_page_and_its_badge(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    year = world.acme.created_at.year
    goal = make_goal(world, "alice", member=world.rita, start=D(year, 1, 1), end=D(year, 12, 31))
    assert Progress.objects.filter(goal=goal).exists()
    Progress.objects.filter(goal=goal).update(probability=Decimal("0.9960"), status="on_track",
                                              forecast=Decimal(1))  # fmt: skip
    html = world.client("rita").get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    start = html.index('data-testid="goal-probability"')
    shown = html[html.index(">", start) + 1: html.index("</div>", start)]
    assert shown.replace("\xa0", " ") == "99 %"  # a running goal is never a sure thing
    listed = world.client("rita").get(reverse("goals:goal_list")).content.decode()
    badge = listed[listed.index('data-testid="status-chance">') + 28:]
    assert badge[: badge.index("<")].replace("\xa0", " ") == shown.replace("\xa0", " ")
