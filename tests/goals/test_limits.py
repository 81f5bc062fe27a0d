"""Goals are bounded: a span of at most GOAL_MAX_YEARS and days within the
range every period read accepts, refused field by field on the page and in
the API; a huge proposal cannot be made, so its page never fails and its
approval cannot activate it (issue 14: 0001-01-01 to 9998-12-31 made
/goals/<id>/ answer 500 and approving answered 500 yet activated it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rumbo.goals.models import GOAL_MAX_YEARS, Goal, State
from tests.goals.conftest import make_goal
from tests.personas import World
from tests.tenancy.api_client import bearer, call, fields

pytestmark = pytest.mark.django_db

BODY = {"metric": "revenue", "target": "10"}


@pytest.mark.parametrize(("start", "end", "field"), [
    ("0001-01-01", "9998-12-31", "start"),
    ("2026-01-01", "9999-12-31", "end"),
    ("2020-01-01", f"{2020 + GOAL_MAX_YEARS}-01-01", "end"),
])  # fmt: skip
def test_goal_spans_and_dates_are_bounded_in_the_api(world: World, start: str, end: str,
                                                     field: str) -> None:  # fmt: skip
    rita = bearer(world.rita)
    answer = call(rita, "POST", "/goals", {**BODY, "member_id": world.rita.pk, "start": start,
                                           "end": end})  # fmt: skip
    assert fields(answer) == {field}
    assert not Goal.objects.exists()


def test_a_ten_year_goal_is_the_longest(world: World) -> None:
    answer = call(bearer(world.alice), "POST", "/goals",
                  {**BODY, "start": "2020-01-01", "end": "2029-12-31"})  # fmt: skip
    assert answer.status_code == 201, answer.content


def test_goal_spans_are_bounded_on_the_page(world: World) -> None:
    answer = world.client("rita").post(reverse("goals:goal_create"), {
        **BODY, "member": world.rita.pk, "start": "0001-01-01", "end": "9998-12-31"})  # fmt: skip
    assert answer.status_code == 400
    assert "Choose a day between" in answer.content.decode()
    assert not Goal.objects.exists()


def test_a_huge_proposal_stored_before_the_limit_cannot_be_approved(world: World) -> None:
    """A proposal already stored with the old, unbounded dates: its page opens
    and approving is refused for its dates, leaving it a proposal."""
    goal = make_goal(world, "rita", member=world.rita)
    Goal.objects.filter(pk=goal.pk).update(start=dt.date(1, 1, 1), end=dt.date(9998, 12, 31))
    mark = world.client("mark")
    assert mark.get(reverse("goals:goal_detail", args=[goal.pk])).status_code == 200
    answer = call(bearer(world.mark), "POST", f"/goals/{goal.pk}/approve")
    assert answer.status_code == 422, answer.content
    assert Goal.objects.get(pk=goal.pk).state == State.PROPOSED


def test_progress_days_at_the_limits_are_a_field_error(world: World) -> None:
    goal = make_goal(world, "alice", member=world.rita)
    rita = bearer(world.rita)
    for query, field in (("start=0001-01-01", "start"), ("end=9999-12-31", "end")):
        assert fields(call(rita, "GET", f"/goals/{goal.pk}/progress?{query}")) == {field}
    assert call(rita, "GET", f"/goals/{goal.pk}/progress?start=2026-01-01").status_code == 200
