"""The figures cache: a figure shown again comes from the cache, and moves as
soon as a write that changes it is committed — a won deal (after its refresh),
a scorecard change, a member moving team — and a viewer never reads a figure
cached for somebody else's scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from rumbo.goals.models import Goal
from rumbo.goals.progress import goals_recompute
from rumbo.goals.services import goal_approve
from rumbo.metrics.services import ScorecardLine, metrics_rebuild, scorecard_update
from rumbo.sales import services
from rumbo.sales.models import Deal
from rumbo.tenancy.currency import Conversion
from rumbo.tenancy.models import Organization
from rumbo.tenancy.services import member_save, organization_update
from tests.dashboards.conftest import won

pytestmark = pytest.mark.django_db
REVENUE = reverse("metrics:leaderboard") + "?period=quarter&key=revenue"


def _revenue(client: Any, name: str) -> Decimal | None:
    rows = client.get(REVENUE).context["rows"]
    return next((r.standing.value for r in rows if r.standing.name == name), None)


def _cell(response: Any, name: str, key: str) -> Decimal | None:
    line = next(line for line in response.context["lines"] if line.name == name)
    return next(c.value for c in line.cells if c.metric.key == key)


def _won_part(client: Any) -> int:
    parts = client.get(reverse("home")).context["score_panel"].parts
    return int(next(p.actual for p in parts if p.label == "Deals won"))


def test_a_won_deal_moves_the_cached_figures_once_refreshed(
    dash, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    alice, mark, rita = dash.client("alice"), dash.client("mark"), dash.client("rita")
    before = _revenue(alice, "Rita")
    table = _cell(mark.get(reverse("dashboards:team")), "Rita", "revenue")
    won = _won_part(rita)
    home = rita.get(reverse("home")).context["figures"].revenue
    assert before is not None and table == before
    deal = Deal(organization=dash.acme, name="Big one", currency="EUR", owner=dash.rita,
                customer=dash.records["rita"].customer, outcome="won", stage="closed",
                amount=Decimal("7000.00"), created_on=timezone.localdate(),
                closed_on=timezone.localdate())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the refresh job runs
        services.deal_save(actor=dash.alice, deal=deal, creating=True)
    assert _revenue(alice, "Rita") == before + 7000
    assert _cell(mark.get(reverse("dashboards:team")), "Rita", "revenue") == before + 7000
    assert _won_part(rita) == won + 1
    assert rita.get(reverse("home")).context["figures"].revenue == home + 7000


def test_the_same_page_twice_reads_the_cache(dash, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    alice = dash.client("alice")
    first = _revenue(alice, "Rita")
    # Session, user, member, unread notifications: no rollup, member or team query.
    with django_assert_max_num_queries(4):
        assert _revenue(alice, "Rita") == first


def test_a_scorecard_change_moves_the_cached_scores(dash) -> None:  # type: ignore[no-untyped-def]
    rita = dash.client("rita")
    before = rita.get(reverse("home")).context["score_panel"]
    assert {p.label for p in before.parts} != {"Revenue"}
    scorecard_update(actor=dash.alice,
                     lines=[ScorecardLine("revenue", Decimal(1), Decimal(1))])  # fmt: skip
    after = rita.get(reverse("home")).context["score_panel"]
    assert [p.label for p in after.parts] == ["Revenue"]
    # Her revenue goal for the quarter, if any, is the line's target (ADR 0012).
    goal = Goal.objects.filter(member=dash.rita, metric="revenue", state="active",
                               start=after.start, end=after.end).order_by("pk").last()
    part = after.score.parts[0]
    if goal is None:
        assert (part.source, after.score.score) == ("scorecard", 100)  # any revenue beats 1
    else:
        assert (part.source, part.target) == ("goal", goal.target)


def test_a_member_moving_team_moves_the_team_figures(dash) -> None:  # type: ignore[no-untyped-def]
    mark = dash.client("mark")
    assert "Rita" in {line.name for line in mark.get(reverse("dashboards:team")).context["lines"]}
    board = mark.get(reverse("dashboards:team")).context["board"]
    assert "Rita" in {row.name for row in board.rows}
    rita = dash.rita
    rita.team = dash.teams["south"]
    member_save(actor=dash.alice, member=rita, creating=False)
    page = mark.get(reverse("dashboards:team")).context
    assert "Rita" not in {line.name for line in page["lines"]}
    assert "Rita" not in {row.name for row in page["board"].rows}
    sam = dash.client("sam").get(reverse("dashboards:team")).context
    assert "Rita" in {line.name for line in sam["lines"]}


def test_a_viewer_never_reads_figures_cached_for_another_scope(dash) -> None:  # type: ignore[no-untyped-def]
    # The admin's leaderboard, then the same leaderboard asked by a rep and a
    # manager of another team: each sees only their own scope.
    assert _revenue(dash.client("alice"), "Rita") is not None
    rows = dash.client("sofia").get(REVENUE).context["rows"]
    assert [r.standing.name for r in rows] == ["Sofia"]
    sam = {r.standing.name for r in dash.client("sam").get(REVENUE).context["rows"]}
    assert "Rita" not in sam and "Sofia" in sam
    # The same home page figures, cached for Rita, are not Nina's.
    rita = dash.client("rita").get(reverse("home")).context
    nina = dash.client("nina").get(reverse("home")).context
    assert rita["score_panel"].score.key is None  # a scope's score: the whole of it
    assert rita["board"].subject == dash.rita and nina["board"].subject == dash.nina
    assert rita["board"].quality != nina["board"].quality or not any(
        v for s in rita["board"].quality["series"] for v in s["values"]
    )


def test_saving_an_organisation_keeps_its_figures_version(dash) -> None:  # type: ignore[no-untyped-def]
    stale = Organization.objects.get(pk=dash.acme.pk)
    scorecard_update(actor=dash.alice, lines=[ScorecardLine("revenue", Decimal(1), Decimal(1))])
    moved = Organization.objects.get(pk=dash.acme.pk).figures_version
    assert moved > stale.figures_version
    stale.name = "Acme Ltd"
    stale.save()  # loaded before the change: must not put the old version back
    assert Organization.objects.get(pk=dash.acme.pk).figures_version == moved


def test_a_decided_proposal_leaves_the_cached_panels(dash) -> None:  # type: ignore[no-untyped-def]
    mark, rita = dash.client("mark"), dash.client("rita")
    waiting = mark.get(reverse("dashboards:team")).context["proposals"]
    assert [g.name for g in waiting] == ["Rita stretch"]
    assert "Rita stretch" not in {c.goal.name for c in rita.get("/").context["board"].cards}
    goal_approve(actor=dash.mark, goal=dash.goals["proposal"])
    assert mark.get(reverse("dashboards:team")).context["proposals"] == []
    assert "Rita stretch" in {c.goal.name for c in rita.get("/").context["board"].cards}


def _deals_card(client: Any) -> Any:
    return next(c for c in client.get("/").context["board"].cards if c.goal.name == "Rita deals")


def test_recorded_progress_moves_the_cached_goal_cards(dash) -> None:  # type: ignore[no-untyped-def]
    rita = dash.client("rita")
    before = _deals_card(rita).row.actual
    won(dash.rita, timezone.localdate(), "10.00", customer=dash.records["rita"].customer)
    metrics_rebuild(organization=dash.acme)  # the figures move; the goals' progress not yet
    assert _deals_card(rita).row.actual == before
    goals_recompute(organization=dash.acme)  # the day's progress recorded
    assert _deals_card(rita).row.actual == before + 1


def test_cached_html_is_the_viewers_own_and_in_their_language(dash) -> None:  # type: ignore[no-untyped-def]
    url = reverse("metrics:leaderboard") + "?period=quarter"
    assert "Rita" in dash.client("alice").get(url).content.decode()
    assert "Rita" not in dash.client("sofia").get(url).content.decode()
    team = reverse("dashboards:team")
    assert "The team, This quarter" in dash.client("mark").get(team).content.decode()
    user = dash.mark.user
    user.language = "es"
    user.save()  # no figure changed: the same version, another language
    html = dash.client("mark").get(team).content.decode()
    assert "The team, This quarter" not in html and "Rita" in html


def test_a_new_currency_shows_in_the_cached_figures(dash) -> None:  # type: ignore[no-untyped-def]
    mark = dash.client("mark")
    assert "€" in mark.get(reverse("dashboards:team")).content.decode()
    org = Organization.objects.get(pk=dash.acme.pk)
    org.currency = "USD"
    # Money is recorded: the change converts every amount, confirmed (ADR 0013).
    organization_update(actor=dash.alice, organization=org,
                        conversion=Conversion(rate=Decimal("1.10"), confirmed=True))  # fmt: skip
    html = mark.get(reverse("dashboards:team")).content.decode()
    assert "$" in html and "€" not in html
