"""The figure cards follow the period the page says it shows (they used to
show the last 90 days whatever the buttons said), state what each rate rests
on, and say "not enough data yet" rather than a bare number. Read from the
rendered page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales.models import Deal, SurveyResponse
from rumbo.web import formatting
from tests import factories as f
from tests.dashboards.conftest import quarter, won
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


def _periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The periods written out by hand, not by the code under test."""
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {
        "month": (today.replace(day=1), nxt - dt.timedelta(days=1)),
        "quarter": quarter(today),
        "year": (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
    }


def _revenue(owners: list, start: dt.date, end: dt.date) -> Decimal:  # type: ignore[type-arg]
    rows = Deal.objects.filter(owner__in=owners, outcome="won", closed_on__gte=start,
                               closed_on__lte=end)  # fmt: skip
    return sum((d.amount_base for d in rows), Decimal(0))


@pytest.mark.parametrize("who", ["rita", "mark", "alice"])
def test_every_card_follows_the_period_buttons(dash, who) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    customer = dash.records["rita"].customer
    # Deals outside this month and outside the last 90 days, inside the year when possible.
    for back in (40, 100, 200):
        won(dash.rita, today - dt.timedelta(days=back), "1000.00", customer=customer)
    metrics_rebuild(organization=dash.acme)
    owners = {"rita": [dash.rita], "mark": [dash.rita, dash.nina, dash.mark],
              "alice": list(dash.acme.members.all())}[who]  # fmt: skip
    client = dash.client(who)
    shown = {}
    with translation.override("en"):
        for key, (start, end) in _periods(today).items():
            page = Page(client.get(reverse("home"), {"period": key}).content)
            expected = _revenue(owners, start, end)
            shown[key] = page.text("figure-revenue")
            assert shown[key] == formatting.money(expected, "EUR"), key
            label = page.text("figures-period")
            assert formatting.date(start) in label and formatting.date(end) in label
            won_n = Deal.objects.filter(owner__in=owners, outcome="won", closed_on__gte=start,
                                        closed_on__lte=end).count()  # fmt: skip
            assert page.text("figure-deals-won").startswith(f"{won_n} deal")
    assert shown["month"] != shown["year"]


def test_a_rate_on_few_answers_says_not_enough_data_with_its_count(dash) -> None:  # type: ignore[no-untyped-def]
    rita = dash.rita
    customer = dash.records["rita"].customer
    today = timezone.localdate()
    SurveyResponse.objects.filter(rep=rita).delete()
    for score in (5, 5, 2):
        f.SurveyResponseFactory(organization=dash.acme, rep=rita, customer=customer,
                                kind="csat", score=score, responded_on=today)  # fmt: skip
    metrics_rebuild(organization=dash.acme)
    with translation.override("en"):
        page = Page(dash.client("rita").get(reverse("home"), {"period": "month"}).content)
    assert page.text("figure-csat") == "Not enough data yet"
    count = page.text("figure-csat-count")
    assert count.startswith("3 responses") and "66.7 %" in count
    # Twelve answers, nine of them 4 or 5: 75 %, with its Wilson interval (46.8–91.1 %).
    for score in (5, 4, 4, 5, 4, 5, 5, 1, 3):
        f.SurveyResponseFactory(organization=dash.acme, rep=rita, customer=customer,
                                kind="csat", score=score, responded_on=today)  # fmt: skip
    metrics_rebuild(organization=dash.acme)
    with translation.override("en"):
        page = Page(dash.client("rita").get(reverse("home"), {"period": "month"}).content)
    assert page.text("figure-csat") == "75.0 %"
    assert page.text("figure-csat-count") == "12 responses · 95 % interval 47–91"
