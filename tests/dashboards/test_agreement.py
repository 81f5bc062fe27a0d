"""What a dashboard shows agrees with /scorecard/ and /leaderboard/ for the same
period, as a reader comparing the pages sees them (the rep's home showed 64.0
where /scorecard/ said 56.9; the manager's "People by score" ran in another
order than the leaderboard)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_the_rep_home_score_is_the_scorecards(dash, period) -> None:  # type: ignore[no-untyped-def]
    rita = dash.client("rita")
    with translation.override("en"):
        home = Page(rita.get(reverse("home"), {"period": period}).content)
        card = Page(rita.get(reverse("metrics:scorecard"), {"period": period}).content)
    assert home.text("dashboard-score") == card.text("score")


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_people_by_score_run_in_the_leaderboards_order(dash, period) -> None:  # type: ignore[no-untyped-def]
    mark = dash.client("mark")
    with translation.override("en"):
        team = Page(mark.get(reverse("dashboards:team"), {"period": period}).content)
        board = Page(mark.get(reverse("metrics:leaderboard"),
                              {"period": period, "by": "rep", "key": "score"}).content)  # fmt: skip
    panel = [" ".join(text.split()[:2]) for text in team.texts("top-standing")]
    # A leaderboard row reads "rank name value movement".
    standings = [" ".join(text.split()[1:3]) for text in board.texts("standing")]
    assert panel and panel == standings[: len(panel)]
