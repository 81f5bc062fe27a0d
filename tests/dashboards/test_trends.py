"""Honest trend charts, read from the rendered page: every rate drawn over time
states its count, a month on too few answers is drawn (and written) as not
enough data, with its 95 % interval, and the month under way is marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales.models import SurveyResponse
from tests import factories as f
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


def _answers(dash, scores: list[int], kind: str = "nps") -> None:  # type: ignore[no-untyped-def]
    rita = dash.rita
    SurveyResponse.objects.filter(rep=rita).delete()
    for score in scores:
        f.SurveyResponseFactory(organization=dash.acme, rep=rita, kind=kind, score=score,
                                customer=dash.records["rita"].customer,
                                responded_on=timezone.localdate())  # fmt: skip
    metrics_rebuild(organization=dash.acme)


def test_a_month_of_few_nps_answers_is_drawn_as_not_enough_data(dash) -> None:  # type: ignore[no-untyped-def]
    _answers(dash, [10, 10, 3])  # NPS 33 on three answers: a swing, not a trend
    with translation.override("en"):
        page = Page(dash.client("rita").get(reverse("home")).content)
    chart = page.data("quality-data")
    nps = next(s for s in chart["series"] if s["key"] == "nps")
    assert nps["counts"][-1] == 3 and nps["enough"][-1] is False
    assert nps["values"][-1] == pytest.approx(33.33, abs=0.01)
    assert chart["partial"] is (timezone.localdate().day != _month_days())
    # The figures under the chart: this month first, with its count and the warning.
    rows = page.rows("series-row")
    month, cells = next(iter(rows.items()))
    assert cells["nps"] == "33.3 (3 responses; not enough data yet)"
    if chart["partial"]:
        assert month.endswith("so far")
    assert "NPS: 10 responses" in page.text("chart-legend")


def test_a_month_with_enough_answers_carries_its_interval(dash) -> None:  # type: ignore[no-untyped-def]
    _answers(dash, [10] * 6 + [8] * 2 + [3] * 2)  # 6 promoters, 2 passives, 2 detractors
    page = Page(dash.client("rita").get(reverse("home")).content)
    nps = next(s for s in page.data("quality-data")["series"] if s["key"] == "nps")
    assert nps["enough"][-1] is True and nps["values"][-1] == 40.0
    assert nps["intervals"][-1] == pytest.approx([-12.6, 74.1], abs=0.06)  # Rocks (2016), by hand
    with translation.override("en"):
        page = Page(dash.client("rita").get(reverse("home")).content)
    assert next(iter(page.rows("series-row").values()))["nps"] == "40.0 (10 responses)"


def test_win_rate_and_csat_trends_state_their_counts(solo, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(solo.user)
    with translation.override("en"):
        page = Page(client.get(reverse("home")).content)
    rates = page.data("trend-rates")
    win = next(s for s in rates["series"] if s["key"] == "win_rate")
    assert win["counts"][-1] == 1 and win["enough"][-1] is False  # one won deal this month
    assert next(iter(page.rows("series-row").values()))  # the figures table is drawn
    assert page.has("rate-figures") and page.has("money-figures")


def _month_days() -> int:
    today = timezone.localdate()
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (nxt - dt.timedelta(days=1)).day
