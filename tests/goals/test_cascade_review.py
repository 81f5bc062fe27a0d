"""The cascade as a manager walks it on a team goal's page — the form starts
from the split as it stands, leaves out people without a quota, previews the
split (targets and milestones) without writing, and saves only what was
confirmed — and the review of a rep's proposal, which shows where she stands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from rumbo.goals.models import Goal, Milestone, State
from rumbo.goals.services import goal_cascade
from tests.dashboards.page import Page
from tests.goals.conftest import D, make_goal

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_lines(world: Any, goal: Goal) -> dict[str, tuple[bool, str]]:
    """Each person of the cascade form: (ticked, weight shown), by name."""
    page = Page(world.client("mark").get(goal.get_absolute_url()).content)
    lines = {}
    for line in page.all("cascade-line"):
        inputs = [e for e in line.walk() if e.tag == "input"]
        tick = next(e for e in inputs if e.attrs.get("type") == "checkbox")
        weight = next(e for e in inputs if e.attrs.get("name", "").startswith("weight_"))
        name = next(e for e in line.walk() if e.tag == "label").children[0].strip()
        lines[name] = ("checked" in tick.attrs, weight.attrs["value"])
    return lines


def north_goal(world: Any, **fields: Any) -> Goal:
    return make_goal(world, "mark", team=world.teams["north"], target=Decimal(1000),
                     name="North revenue", **fields)  # fmt: skip


def choose(world: Any, weights: dict[str, str]) -> dict[str, Any]:
    """The form as posted: these people ticked, with these weights."""
    data: dict[str, Any] = {"members": [world.members[n].pk for n in weights]}
    data.update({f"weight_{world.members[n].pk}": w for n, w in weights.items()})
    return data


def test_cascade_form_starts_from_the_current_split(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world)
    goal_cascade(actor=world.mark, goal=goal,
                 weights={world.rita.pk: Decimal("3.5"), world.nina.pk: Decimal(1)})  # fmt: skip
    # Rita and Nina as they are (3.5 : 1), Mark left out as he was.
    assert form_lines(world, goal) == {
        "Mark": (False, "1"),
        "Nina": (True, "1.00"),
        "Rita": (True, "3.50"),
    }


def test_manager_without_a_quota_is_not_ticked(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world)
    lines = form_lines(world, goal)
    # No split yet: the reps are ticked with equal weights; Mark only leads.
    assert lines == {"Mark": (False, "1"), "Nina": (True, "1"), "Rita": (True, "1")}
    page = Page(world.client("mark").get(goal.get_absolute_url()).content)
    assert len(page.all("no-quota")) == 1
    # A manager who sells (a goal of his own over these dates) carries a quota.
    make_goal(world, "alice", member=world.mark, start=D(2026, 2, 1), end=D(2026, 2, 28))
    assert form_lines(world, goal)["Mark"] == (True, "1")


def test_preview_shows_the_split_and_writes_nothing(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world, milestones=[(D(2026, 1, 31), Decimal(400))])
    before = (Goal.objects.count(), Milestone.objects.count())
    url = reverse("goals:goal_cascade_preview", args=[goal.pk])
    data = choose(world, {"rita": "3", "nina": "1"})
    for headers in (HTMX, {}):
        response = world.client("mark").post(url, data, **headers)
        assert response.status_code == 200
        page = Page(response.content)
        # 1,000 by 3 : 1 is 750 and 250; the milestone of 400, 300 and 100.
        assert page.texts("preview-target") == ["€250.00", "€750.00"]  # Nina, Rita
        assert page.texts("preview-milestone") == ["Jan 31, 2026: €100.00",
                                                   "Jan 31, 2026: €300.00"]  # fmt: skip
        assert page.has("cascade-confirm")
    assert (Goal.objects.count(), Milestone.objects.count()) == before
    assert not goal.shares.exists()


@pytest.mark.parametrize("weights", [
    {"rita": "0", "nina": "1"}, {"rita": "-2", "nina": "1"}, {"rita": "two"}, {"rita": ""},
    {"rita": "1.005"}, {},
])  # fmt: skip
def test_bad_split_is_refused_with_a_reason_and_writes_nothing(sales, weights) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world)
    count = Goal.objects.count()
    client = world.client("mark")
    preview = reverse("goals:goal_cascade_preview", args=[goal.pk])
    response = client.post(preview, choose(world, weights), **HTMX)
    assert response.status_code == 400
    reason = Page(response.content).text("cascade-errors")
    assert any(words in reason for words in ("weights above zero", "weights as numbers",
                                             "two decimals", "at least one member"))  # fmt: skip
    assert "Nothing was saved" in reason
    # Without JavaScript, the goal's page says the same.
    page = client.post(preview, choose(world, weights), follow=True).content.decode()
    assert reason.replace(" Nothing was saved.", "") in page
    assert Goal.objects.count() == count


def test_only_the_previewed_split_is_saved(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world)
    client = world.client("mark")
    data = choose(world, {"rita": "3", "nina": "1"})
    confirm = reverse("goals:goal_cascade", args=[goal.pk])
    # Not previewed: refused.
    page = client.post(confirm, data, follow=True).content.decode()
    assert "Preview the split before you confirm it" in page and not goal.shares.exists()
    preview = Page(client.post(reverse("goals:goal_cascade_preview", args=[goal.pk]), data,
                               **HTMX).content)  # fmt: skip
    digest = next(e.attrs["value"] for e in preview.root.walk() if e.attrs.get("name") == "digest")
    # The target changes before the manager confirms: what she saw is not what
    # would be written, so nothing is.
    goal.target = Decimal(2000)
    goal.save()
    page = client.post(confirm, {**data, "digest": digest}, follow=True).content.decode()
    assert "changed since you previewed" in page and not goal.shares.exists()
    goal.target = Decimal(1000)
    goal.save()
    client.post(confirm, {**data, "digest": digest})
    assert sorted(goal.shares.values_list("target", flat=True)) == [Decimal(250), Decimal(750)]


def test_milestones_pass_down_in_proportion_to_the_shares(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world, milestones=[(D(2026, 1, 31), Decimal(300)),
                                         (D(2026, 2, 28), Decimal(650))])  # fmt: skip
    client = world.client("mark")
    data = choose(world, {"rita": "2", "nina": "1"})
    preview = Page(client.post(reverse("goals:goal_cascade_preview", args=[goal.pk]), data,
                               **HTMX).content)  # fmt: skip
    # The preview shows the cents that will be saved (worked out below).
    assert preview.texts("preview-target") == ["€333.33", "€666.67"]  # Nina, Rita
    assert preview.texts("preview-milestone") == [
        "Jan 31, 2026: €100.00", "Feb 28, 2026: €216.67",
        "Jan 31, 2026: €200.00", "Feb 28, 2026: €433.33"]  # fmt: skip
    digest = next(e.attrs["value"] for e in preview.root.walk() if e.attrs.get("name") == "digest")
    client.post(reverse("goals:goal_cascade", args=[goal.pk]), {**data, "digest": digest})
    rita, nina = goal.shares.get(member=world.rita), goal.shares.get(member=world.nina)
    # Rita two thirds, Nina one third, each sum kept to the cent:
    #   target 1,000: 666.666… and 333.333… -> 666.66 + 333.33 = 999.99; the
    #     cent left goes to the larger remainder (Rita's 0.0067): 666.67 / 333.33
    #   31 January, 300: exactly 200 and 100
    #   28 February, 650: 433.333… and 216.666… -> 433.33 + 216.66 = 649.99; the
    #     cent goes to Nina (remainder 0.0067 against 0.0033): 433.33 / 216.67
    assert (rita.target, nina.target) == (Decimal("666.67"), Decimal("333.33"))
    assert [(m.day, m.target) for m in rita.milestones.all()] == [
        (D(2026, 1, 31), Decimal("200.00")),
        (D(2026, 2, 28), Decimal("433.33")),
    ]
    assert [(m.day, m.target) for m in nina.milestones.all()] == [
        (D(2026, 1, 31), Decimal("100.00")),
        (D(2026, 2, 28), Decimal("216.67")),
    ]


def test_a_rate_passes_its_milestones_down_unchanged(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "mark", team=world.teams["north"], metric="win_rate",
                     target=Decimal(40), milestones=[(D(2026, 2, 1), Decimal(30))])  # fmt: skip
    weights = {world.rita.pk: Decimal(1), world.nina.pk: Decimal(3)}
    shares = goal_cascade(actor=world.mark, goal=goal, weights=weights)
    for share in shares:
        assert [(m.day, m.target) for m in share.milestones.all()] == [(D(2026, 2, 1), Decimal(30))]


def test_review_of_a_proposal_shows_where_the_rep_stands(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "rita", member=world.rita, target=Decimal(1200),
                     start=D(2026, 1, 1), end=D(2026, 1, 31))  # fmt: skip
    assert goal.state == State.PROPOSED
    html = world.client("mark").get(goal.get_absolute_url()).content.decode()
    assert reverse("goals:goal_approve", args=[goal.pk]) in html  # the review page
    page = Page(html)
    # Rita sells 100 each Monday and Thursday from 1 November 2025 to 15 February
    # 2026: January 2026 has 4 Mondays and 5 Thursdays (900); December 2025 5 and
    # 4 (900); November 2025 4 and 4 (800); October and September nothing.
    assert page.text("standing-current") == "€900.00"
    assert page.texts("standing-period") == [
        "Dec 1, 2025 – Dec 31, 2025 €900.00",
        "Nov 1, 2025 – Nov 30, 2025 €800.00",
        "Oct 1, 2025 – Oct 31, 2025 €0.00",
        "Sep 1, 2025 – Sep 30, 2025 €0.00",
    ]


def test_review_of_a_proposal_not_yet_started(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    year = world.acme.created_at.year + 1
    goal = make_goal(world, "rita", member=world.rita, metric="deals_won", target=Decimal(5),
                     start=D(year, 3, 1), end=D(year, 3, 31))  # fmt: skip
    page = Page(world.client("mark").get(goal.get_absolute_url()).content)
    assert "nothing counts towards it yet" in page.text("standing-current")
    assert len(page.texts("standing-period")) == 4
    # An approved goal is no longer under review.
    world.client("mark").post(reverse("goals:goal_approve", args=[goal.pk]))
    page = Page(world.client("mark").get(goal.get_absolute_url()).content)
    assert not page.has("rep-standing")


def test_preview_says_who_keeps_a_share_and_when_the_split_exceeds_the_target(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = north_goal(world)
    weights = {world.rita.pk: Decimal(3), world.nina.pk: Decimal(1)}
    goal_cascade(actor=world.mark, goal=goal, weights=weights)
    url = reverse("goals:goal_cascade_preview", args=[goal.pk])
    page = Page(world.client("mark").post(url, choose(world, {"rita": "1"}), **HTMX).content)
    # Rita alone would get all 1,000 while Nina keeps her 250: 1,250 in all.
    assert page.texts("preview-target") == ["€1,000.00"]
    assert page.text("preview-kept") == "Left out, keeping their share as it is: Nina (€250.00)"
    assert page.text("preview-total") == (
        "Assigned: €1,250.00 of €1,000.00. That is €250.00 more than the target."
    )
