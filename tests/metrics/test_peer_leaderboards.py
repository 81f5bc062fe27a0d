"""A rep's leaderboard ranks them among their peers (issue 17, item 3): the
people of their team with names, scores and ranks — the same ranks their
manager sees — but none of their records; the admin chooses whether peers are
named and whether a rep may see the whole organisation's ranking.

Deals won in the last ten days: Nina 3, Rita 2, Mark 1 (team North and the
North-East below it), Sofia 4 (South, a sibling team)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rumbo.goals.models import Goal
from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.models import Organization
from rumbo.tenancy.services import figures_changed
from tests import factories as f
from tests.access.formdata import form_submission
from tests.dashboards.page import Page
from tests.metrics.test_scorecard_pages import _more_reps

pytestmark = pytest.mark.django_db


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"period": "custom", "start": str(today - dt.timedelta(days=10)), "end": str(today)}


def _won(world: Any, name: str, extra: int) -> None:
    """`extra` more won deals for `name`, two days ago (as the world's own)."""
    member = world.members[name]
    for i in range(extra):
        f.DealFactory(organization=world.acme, owner=member, outcome="won", stage="closed",
                      closed_on=timezone.localdate() - dt.timedelta(days=2),
                      name=f"{name} extra {i}", amount_base=Decimal("100.00"))  # fmt: skip


@pytest.fixture
def ranked(world: Any) -> Any:
    _won(world, "nina", 2)
    _won(world, "rita", 1)
    _won(world, "sofia", 3)
    metrics_rebuild(organization=world.acme)
    return world


def _board(client: Any, **extra: str) -> list[tuple[str, str, str]]:
    """The page's rows as a reader sees them: (rank, name, deals won)."""
    query = {**_period(), "key": "deals_won", **extra}
    response = client.get(reverse("metrics:leaderboard"), query)
    assert response.status_code == 200
    rows = []
    for row in Page(response.content).all("standing"):
        cells = [e for e in row.walk() if e.tag == "td"]
        name = cells[1].text().removesuffix(" you")  # the badge on the rep's own row
        rows.append((cells[0].text(), name, cells[2].text()))
    return rows


def _api(client: Any, **extra: str) -> dict[str, Any]:
    period = _period()
    query = {"period": "custom", "from": period["start"], "to": period["end"],
             "key": "deals_won", **extra}  # fmt: skip
    response = client.get("/api/v1/leaderboards", query)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def _settings(org: Organization, **fields: str) -> None:
    """The admin's choice, as the settings page saves it (the figures version moves)."""
    Organization.objects.filter(pk=org.pk).update(**fields)
    figures_changed(organization_id=org.pk)


def test_a_rep_sees_their_teams_names_and_ranks_as_their_manager_does(ranked) -> None:  # type: ignore[no-untyped-def]
    rita = ranked.client("rita")
    expected = [("1", "Nina", "3"), ("2", "Rita", "2"), ("3", "Mark", "1")]
    assert _board(rita) == expected
    # The same ranks as the manager's own board and the admin's board of North.
    assert _board(ranked.client("mark")) == expected
    admins = _api(ranked.client("alice"), scope=f"team:{ranked.teams['north'].pk}")
    assert [(r["rank"], r["name"]) for r in admins["rows"]] == [(1, "Nina"), (2, "Rita"),
                                                                 (3, "Mark")]  # fmt: skip
    # The API shows the rep what the page shows.
    mine = _api(rita)
    assert [(str(r["rank"]), r["name"], str(r["value"])) for r in mine["rows"]] == expected
    assert mine["peers"] is True and mine["scope"] == f"team:{ranked.teams['north'].pk}"
    page = Page(rita.get(reverse("metrics:leaderboard"), {**_period()}).content)
    assert page.text("own-standing") == "you"
    assert "Ranked among the people of your team." in page.text("peers-note")


def test_a_rep_still_cannot_open_a_peers_records(ranked) -> None:  # type: ignore[no-untyped-def]
    rita, nina = ranked.client("rita"), ranked.nina
    body = rita.get(reverse("metrics:leaderboard"), _period()).content.decode()
    links = [unquote(link) for link in Page(body).links()]
    assert not [link for link in links if f"rep:{nina.pk}" in link or f"rep:{ranked.mark.pk}"
                in link]  # fmt: skip
    assert any(f"rep:{ranked.rita.pk}" in link for link in links)  # her own scorecard
    records = ranked.records["nina"]
    goal = Goal.objects.create(organization=ranked.acme, member=nina, name="Nina goal",
                               metric="deals_won", target=5, start=dt.date(2026, 1, 1),
                               end=dt.date(2026, 12, 31))  # fmt: skip
    for url in (reverse("sales:deal_detail", args=[records.deal.pk]),
                reverse("sales:customer_detail", args=[records.customer.pk]),
                goal.get_absolute_url(), f"/scorecard/?scope=rep:{nina.pk}",
                f"/api/v1/deals/{records.deal.pk}", f"/api/v1/customers/{records.customer.pk}",
                f"/api/v1/scores?scope=rep:{nina.pk}",
                f"/api/v1/leaderboards?scope=rep:{nina.pk}"):  # fmt: skip
        assert rita.get(url).status_code == 404, url


def test_the_admin_can_hide_peers_names(ranked) -> None:  # type: ignore[no-untyped-def]
    _settings(ranked.acme, leaderboard_names="hidden")
    rita = ranked.client("rita")
    assert _board(rita) == [("1", "Peer 1", "3"), ("2", "Rita", "2"), ("3", "Peer 3", "1")]
    body = rita.get(reverse("metrics:leaderboard"), _period()).content.decode()
    assert ">Nina<" not in body and ">Mark<" not in body
    assert "Peer 1" in body and "Peer 3" in body
    rows = _api(rita)["rows"]
    assert [(r["rank"], r["name"], r["key"]) for r in rows] == [
        (1, "Peer 1", None), (2, "Rita", ranked.rita.pk), (3, "Peer 3", None)]  # fmt: skip
    # Managers and admins still see names.
    assert _board(ranked.client("mark"))[0] == ("1", "Nina", "3")


def test_the_organisations_ranking_only_where_the_admin_allows(ranked) -> None:  # type: ignore[no-untyped-def]
    rita = ranked.client("rita")
    # Teams only (the default): asking for the organisation still ranks the team.
    assert "Sofia" not in {row[1] for row in _board(rita, among="org")}
    assert b'name="among"' not in rita.get(reverse("metrics:leaderboard")).content
    answer = _api(rita, scope="org")
    assert "Sofia" not in {r["name"] for r in answer["rows"]}
    assert answer["scope"] == f"team:{ranked.teams['north'].pk}"
    _settings(ranked.acme, leaderboard_reach="organization")
    assert _board(rita) == [("1", "Nina", "3"), ("2", "Rita", "2"), ("3", "Mark", "1")]
    org = [("1", "Sofia", "4"), ("2", "Nina", "3"), ("3", "Rita", "2"), ("4", "Mark", "1")]
    assert _board(rita, among="org") == org
    assert _board(ranked.client("alice")) == org  # the admin's very ranks
    answer = _api(rita, scope="org")
    assert [(str(r["rank"]), r["name"]) for r in answer["rows"]] == [o[:2] for o in org]
    # Nothing of Sofia's opens for Rita either.
    deal = ranked.records["sofia"].deal
    assert rita.get(reverse("sales:deal_detail", args=[deal.pk])).status_code == 404
    # Another organisation's rep sees none of Acme's people.
    assert {r["name"] for r in _api(ranked.client("olga"), scope="org")["rows"]} == {"Olga"}


def test_the_settings_form_saves_the_choice_and_refuses_bad_input(ranked) -> None:  # type: ignore[no-untyped-def]
    alice, url = ranked.client("alice"), reverse("tenancy:organization")
    page = alice.get(url)
    data = form_submission(page, url)
    assert data is not None
    assert (data["leaderboard_names"], data["leaderboard_reach"]) == ("shown", "team")
    for field, bad in (("leaderboard_names", "everyone"), ("leaderboard_reach", "galaxy"),
                       ("leaderboard_reach", "")):  # fmt: skip
        refused = alice.post(url, {**data, "name": "Acme", field: bad})
        assert refused.status_code == 400, (field, bad)
        message = "This field is required." if not bad else "Select a valid choice."
        assert message in refused.content.decode()
        form = refused.context["form"]
        assert list(form.errors) == [field], form.errors
        org = Organization.objects.get(pk=ranked.acme.pk)
        assert (org.leaderboard_names, org.leaderboard_reach) == ("shown", "team")
    saved = alice.post(url, {**data, "name": "Acme", "leaderboard_names": "hidden",
                             "leaderboard_reach": "organization"})  # fmt: skip
    assert saved.status_code == 302
    # The rep's board follows at once (the settings move the figures version).
    assert _board(ranked.client("rita"), among="org")[0] == ("1", "Peer 1", "4")
    assert ranked.client("rita").get(url).status_code == 403


def test_a_reps_board_loads_in_as_many_queries_for_3_peers_as_for_30(world) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for extra in (0, 27):  # reps of North: Rita's peers
        _more_reps(world, extra)
        rita = world.client("rita")
        rita.get("/leaderboard/")  # session and caches warmed
        figures_changed(organization_id=world.acme.pk)  # then nothing cached
        with CaptureQueriesContext(connection) as queries:
            response = rita.get("/leaderboard/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert b"Page 1 of 2" in response.content  # Mark, Rita, Nina and 27 more
