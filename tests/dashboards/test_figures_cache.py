"""The figures cache: a figure shown again comes from the cache, and moves as
soon as a write that changes it is committed — a won deal (after its refresh),
a scorecard change, a member moving team — and a viewer never reads a figure
cached for somebody else's scope."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.goals.models import Goal
from rumbo.goals.progress import goals_recompute
from rumbo.goals.services import goal_approve
from rumbo.metrics.services import ScorecardLine, metrics_rebuild, scorecard_update
from rumbo.sales import services
from rumbo.sales.models import Deal
from rumbo.tenancy.currency import Conversion
from rumbo.tenancy.models import Organization
from rumbo.tenancy.services import member_save, organization_update
from rumbo.web import formatting
from tests.dashboards.conftest import quarter, won
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db
REVENUE = reverse("metrics:leaderboard") + "?period=quarter&key=revenue"


def _revenue(client: Any, name: str) -> Decimal | None:
    rows = client.get(REVENUE).context["rows"]
    return next((r.standing.value for r in rows if r.standing.name == name), None)


def _cell(response: Any, name: str, key: str) -> str:
    """What the team table shows for `name` and metric `key` (the page's text:
    the table is kept rendered under the figures version)."""
    return Page(response.content).rows("rep-row")[name][key]


def _won_part(client: Any) -> int:
    with translation.override("en"):
        page = Page(client.get(reverse("home")).content)
    return int(page.rows("score-part")["Deals won"]["actual"])


def _money(value: Decimal) -> str:
    with translation.override("en"):
        return formatting.money(value, "EUR")


def test_a_won_deal_moves_the_cached_figures_once_refreshed(
    dash, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    alice, mark, rita = dash.client("alice"), dash.client("mark"), dash.client("rita")
    before = _revenue(alice, "Rita")
    table = _cell(mark.get(reverse("dashboards:team")), "Rita", "revenue")
    won = _won_part(rita)
    home = Page(rita.get(reverse("home")).content).text("figure-revenue")
    assert before is not None and table == _money(before) and home == table
    deal = Deal(organization=dash.acme, name="Big one", currency="EUR", owner=dash.rita,
                customer=dash.records["rita"].customer, outcome="won", stage="closed",
                amount=Decimal("7000.00"), created_on=timezone.localdate(),
                closed_on=timezone.localdate())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the refresh job runs
        services.deal_save(actor=dash.alice, deal=deal, creating=True)
    assert _revenue(alice, "Rita") == before + 7000
    assert _cell(mark.get(reverse("dashboards:team")), "Rita", "revenue") == _money(before + 7000)
    assert _won_part(rita) == won + 1
    assert Page(rita.get(reverse("home")).content).text("figure-revenue") == _money(before + 7000)


def test_the_same_page_twice_reads_the_cache(dash, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    alice = dash.client("alice")
    first = _revenue(alice, "Rita")
    # Session, user, member, unread notifications: no rollup, member or team query.
    with django_assert_max_num_queries(4):
        assert _revenue(alice, "Rita") == first


def test_a_scorecard_change_moves_the_cached_scores(dash) -> None:  # type: ignore[no-untyped-def]
    rita = dash.client("rita")
    with translation.override("en"):
        before = Page(rita.get(reverse("home")).content)
    assert set(before.rows("score-part")) != {"Revenue"}
    scorecard_update(actor=dash.alice,
                     lines=[ScorecardLine("revenue", Decimal(1), Decimal(1))])  # fmt: skip
    with translation.override("en"):
        after = Page(rita.get(reverse("home")).content)
        start, end = quarter(timezone.localdate())
        # Her revenue goal for the quarter, if any, is the line's target (ADR 0012).
        goal = Goal.objects.filter(member=dash.rita, metric="revenue", state="active",
                                   start=start, end=end).order_by("pk").last()  # fmt: skip
        assert list(after.rows("score-part")) == ["Revenue"]
        target = next(e for e in after.all("score-part")[0].walk()
                      if e.attrs.get("data-column") == "target")  # fmt: skip
        if goal is None:  # any revenue beats 1
            assert target.attrs["data-source"] == "scorecard"
            assert after.text("dashboard-score") == "100.0"
        else:
            assert target.attrs["data-source"] == "goal"
            assert target.text().startswith(formatting.money(goal.target, "EUR"))


def test_a_member_moving_team_moves_the_team_figures(dash) -> None:  # type: ignore[no-untyped-def]
    mark = dash.client("mark")
    page = Page(mark.get(reverse("dashboards:team")).content)
    assert "Rita" in page.rows("rep-row") and "Rita" in _standing_names(page)
    rita = dash.rita
    rita.team = dash.teams["south"]
    member_save(actor=dash.alice, member=rita, creating=False)
    page = Page(mark.get(reverse("dashboards:team")).content)
    assert "Rita" not in page.rows("rep-row") and "Rita" not in _standing_names(page)
    sam = Page(dash.client("sam").get(reverse("dashboards:team")).content)
    assert "Rita" in sam.rows("rep-row")


def test_a_viewer_never_reads_figures_cached_for_another_scope(dash) -> None:  # type: ignore[no-untyped-def]
    # The admin's leaderboard, then the same leaderboard asked by a rep and a
    # manager of another team: each sees only their own scope.
    assert _revenue(dash.client("alice"), "Rita") is not None
    rows = dash.client("sofia").get(REVENUE).context["rows"]
    assert [r.standing.name for r in rows] == ["Sofia"]
    sam = {r.standing.name for r in dash.client("sam").get(REVENUE).context["rows"]}
    assert "Rita" not in sam and "Sofia" in sam
    # The same home page figures, cached for Rita, are not Nina's.
    with translation.override("en"):
        rita = Page(dash.client("rita").get(reverse("home")).content)
        nina = Page(dash.client("nina").get(reverse("home")).content)
    assert rita.text("dashboard-heading") == "Good to see you, Rita"
    assert nina.text("dashboard-heading") == "Good to see you, Nina"
    assert rita.text("main-goal").startswith("Rita revenue")
    assert not nina.text("main-goal").startswith("Rita")
    mine, hers = rita.data("quality-data"), nina.data("quality-data")
    assert mine != hers or not any(v for s in mine["series"] for v in s["values"])


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
    waiting = Page(mark.get(reverse("dashboards:team")).content)
    assert "Rita stretch" in waiting.text("proposals")
    assert not any("Rita stretch" in c for c in _goal_cards(rita))
    goal_approve(actor=dash.mark, goal=dash.goals["proposal"])
    assert not Page(mark.get(reverse("dashboards:team")).content).has("proposals")
    assert any(c.startswith("Rita stretch") for c in _goal_cards(rita))


def _standing_names(page: Page) -> set[str]:
    return {text.split()[0] for text in page.texts("top-standing")}


def _goal_cards(client: Any) -> list[str]:
    return Page(client.get("/").content).texts("goal-card")


def _deals_card(client: Any) -> int:
    """The deals won the deals goal's card shows ("9 / 12 · 75 %")."""
    card = next(c for c in _goal_cards(client) if c.startswith("Rita deals"))
    found = re.search(r"(\d+) / \d+", card)
    assert found, card
    return int(found.group(1))


def test_recorded_progress_moves_the_cached_goal_cards(dash) -> None:  # type: ignore[no-untyped-def]
    rita = dash.client("rita")
    before = _deals_card(rita)
    won(dash.rita, timezone.localdate(), "10.00", customer=dash.records["rita"].customer)
    metrics_rebuild(organization=dash.acme)  # the figures move; the goals' progress not yet
    assert _deals_card(rita) == before
    goals_recompute(organization=dash.acme)  # the day's progress recorded
    assert _deals_card(rita) == before + 1


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
