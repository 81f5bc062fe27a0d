"""The rep's home in a real browser: the goal timeline is drawn by Chart.js
(charts.js sets `canvas.chart`), with no CSP violation. A screenshot is left in
/tmp/dash-rep.png for people to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login
from tests.dashboards import conftest as dashboards
from tests.personas import PASSWORD

dash = dashboards.dash  # the fixture: the personas world with goals running today
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_home_draws_the_goal_timeline(page, live_server, dash) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, dash.rita.user.email, PASSWORD)
    canvas = page.locator("canvas[data-chart=goal-timeline]")
    canvas.wait_for()
    page.wait_for_function(
        "() => !!document.querySelector('canvas[data-chart=goal-timeline]').chart"
    )
    timeline = "document.querySelector('canvas[data-chart=goal-timeline]')"
    datasets = page.evaluate(f"() => {timeline}.chart.data.datasets.length")
    assert datasets == 6  # actual, pace, forecast, band (high, low), milestones
    drawn = page.evaluate("() => [...document.querySelectorAll('canvas[data-chart]')]"
                          ".filter((c) => c.chart).length")  # fmt: skip
    assert drawn >= 2  # the timeline and the quality trends
    page.screenshot(path="/tmp/dash-rep.png", full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_charts_write_numbers_the_spanish_way(page, live_server, dash) -> None:  # type: ignore[no-untyped-def]
    user = dash.rita.user
    user.language = "es"
    user.save()
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_function(
        "() => !!document.querySelector('canvas[data-chart=goal-timeline]').chart"
    )
    chart = "document.querySelector('canvas[data-chart=goal-timeline]').chart"
    # What the axis and the tooltip print for a value: a decimal comma, a point for thousands.
    label = page.evaluate(f"() => {chart}.scales.y.getLabelForValue(12345.5)")
    assert label == "12.345,5"
    # Dates on the axis the Spanish way ("3 mar", "mar 2026"), not ISO text.
    days = page.evaluate(f"() => {chart}.data.labels")
    assert days and all(re.fullmatch(r"\d{1,2} [a-z]+\.?", d) for d in days), days[:3]
    trends = "[...document.querySelectorAll('canvas[data-chart=lines]')]"
    months = page.evaluate(f"() => {trends}.map((c) => c.chart.data.labels)[0]")
    # The month under way says so after its name ("dic 2026 (hasta ahora)").
    assert months and all(re.fullmatch(r"[a-z]+\.? \d{4}( \(.+\))?", m) for m in months), months
    assert {m.split()[0].rstrip(".") for m in months} & {"ene", "abr", "ago", "dic"}


def _survey_month(dash) -> None:  # type: ignore[no-untyped-def]
    """Three NPS answers this month: too few to read as a trend."""
    from django.utils import timezone

    from rumbo.metrics.services import metrics_rebuild
    from tests import factories as f

    for score in (10, 10, 3):
        f.SurveyResponseFactory(organization=dash.acme, rep=dash.rita, kind="nps", score=score,
                                customer=dash.records["rita"].customer,
                                responded_on=timezone.localdate())  # fmt: skip
    metrics_rebuild(organization=dash.acme)


@pytest.mark.parametrize("language", ["en", "es"])
def test_thin_months_are_drawn_hollow_and_the_month_under_way_marked(
    page, live_server, dash, language
) -> None:  # type: ignore[no-untyped-def]
    _survey_month(dash)
    user = dash.rita.user
    user.language = language
    user.save()
    login(page, live_server, user.email, PASSWORD)
    quality = "document.querySelector('canvas[data-source=quality-data]')"
    page.wait_for_function(f"() => !!{quality}.chart")
    nps = page.evaluate(
        f"() => {{ const c = {quality}.chart; const i = c.data.datasets.findIndex("
        "(d) => d.label === 'NPS'); const d = c.data.datasets[i];"
        " return {fill: d.pointBackgroundColor.at(-1), label: c.data.labels.at(-1),"
        " whiskers: !!d.intervals}; }"
    )
    assert nps["fill"] == "#fff"  # hollow: three answers are not enough
    assert nps["whiskers"]
    page.screenshot(path=f"/tmp/dash-rep-{language}.png", full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_team_dashboard_screenshot(page, live_server, dash, language) -> None:  # type: ignore[no-untyped-def]
    user = dash.mark.user
    user.language = language
    user.save()
    login(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server.url}/?period=month")
    page.wait_for_selector("[data-testid=home-figures]")
    page.screenshot(path=f"/tmp/dash-team-{language}.png", full_page=True)
    assert page.console_errors == []


def test_organisation_charts_mark_thin_bars_and_the_month_under_way(
    page, live_server, dash
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, dash.alice.user.email, PASSWORD)
    csat = "document.querySelector('canvas[data-source=csat-by-team]')"
    page.wait_for_function(f"() => !!{csat}.chart")
    # Every team's CSAT rests on fewer than 10 responses: each bar is pale.
    fills = page.evaluate(f"() => {csat}.chart.data.datasets[0].backgroundColor")
    assert fills and all(str(c).startswith("rgba(") for c in fills), fills
    money = "document.querySelector('canvas[data-source=trend-money]')"
    label = page.evaluate(f"() => {money}.chart.data.labels.at(-1)")
    assert label.endswith("(so far)") or label.endswith(")")
    page.screenshot(path="/tmp/dash-org-en.png", full_page=True)
    assert page.console_errors == []
