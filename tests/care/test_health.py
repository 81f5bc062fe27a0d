"""Customer health: worked examples scored by hand (default weights: detractor
30, open complaint 15 or 30 when high, overdue follow-up 10, repurchase
overdue 20, falling spend 15; red <= 50, yellow <= 75), the customers at risk
of a rep and her manager and nobody else, the admins' weights, and the
notification when a valuable customer turns red — once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rumbo.care.health import compute
from rumbo.care.health_services import health_sweep
from rumbo.care.models import FollowUp, HealthSettings
from rumbo.goals.progress import local_today
from rumbo.notifications.models import Notification
from tests import factories as f
from tests.dashboards.page import Page

pytestmark = pytest.mark.django_db


def day(world: Any, days_ago: int) -> dt.date:
    return local_today(world.acme) - dt.timedelta(days=days_ago)


def won(world: Any, customer: Any, days_ago: int, amount: str) -> None:
    f.DealFactory(organization=world.acme, owner=customer.owner, customer=customer,
                  outcome="won", stage="closed", closed_on=day(world, days_ago),
                  created_on=day(world, days_ago + 10), amount=Decimal(amount),
                  amount_base=Decimal(amount))  # fmt: skip


def survey(world: Any, customer: Any, kind: str, score: int, days_ago: int) -> None:
    f.SurveyResponseFactory(organization=world.acme, rep=customer.owner, customer=customer,
                            kind=kind, score=score, responded_on=day(world, days_ago))  # fmt: skip


def complaint(world: Any, customer: Any, severity: str = "medium") -> None:
    f.ComplaintFactory(organization=world.acme, rep=customer.owner, customer=customer,
                       severity=severity, status="open")  # fmt: skip


def overdue_follow_up(world: Any, customer: Any) -> FollowUp:
    return FollowUp.objects.create(organization=world.acme, owner=customer.owner,
                                   customer=customer, kind="checkin", title="Check-in call",
                                   due_on=day(world, 3))  # fmt: skip


def customer_a(world: Any) -> Any:
    """NPS 5 ten days ago (detractor, -30), an open medium complaint (-15), an
    overdue follow-up (-10); bought 100 and 40 days ago (interval 60, last 40:
    not overdue), 1,800 in the last 12 months and nothing before (not falling).
    100 - 30 - 15 - 10 = 45: red, 1,800 at stake."""
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Alfa Foods")
    survey(world, customer, "nps", 5, 10)
    complaint(world, customer)
    overdue_follow_up(world, customer)
    won(world, customer, 100, "1000")
    won(world, customer, 40, "800")
    return customer


def customer_b(world: Any) -> Any:
    """Bought 700, 600, 380 and 300 days ago (intervals 100, 220, 80: median 100;
    the last 300 days ago: repurchase overdue, -20); 500 in the last 12 months
    against 3,000 the 12 before (down more than 20 %: falling, -15). An NPS 2
    200 days ago is outside the 90-day window; of a CSAT 1 thirty days ago and
    a CSAT 5 five days ago the latest counts. 100 - 20 - 15 = 65: yellow."""
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Bravo Tools")
    for days_ago, amount in ((700, "1000"), (600, "1000"), (380, "1000"), (300, "500")):
        won(world, customer, days_ago, amount)
    survey(world, customer, "nps", 2, 200)
    survey(world, customer, "csat", 1, 30)
    survey(world, customer, "csat", 5, 5)
    return customer


def test_worked_examples_score_and_reasons(world) -> None:  # type: ignore[no-untyped-def]
    a, b = customer_a(world), customer_b(world)
    # One purchase 90 days ago: no interval of its own; the organisation's
    # median interval (Alfa 60, Bravo 100: 80) says it is overdue. 100 - 20 = 80.
    c = f.CustomerFactory(organization=world.acme, owner=world.nina, name="Charlie Bikes")
    won(world, c, 90, "300")
    found = compute(world.acme.pk, [a.pk, b.pk, c.pk], local_today(world.acme))
    assert (found[a.pk].score, found[a.pk].band, found[a.pk].at_stake) == (45, "red", 1800)
    assert [r.key for r in found[a.pk].reasons] == ["detractor", "complaint", "overdue_follow_up"]
    assert (found[b.pk].score, found[b.pk].band) == (65, "yellow")
    assert [r.key for r in found[b.pk].reasons] == ["repurchase_overdue", "falling_spend"]
    assert (found[c.pk].score, found[c.pk].band) == (80, "green")
    assert [r.key for r in found[c.pk].reasons] == ["repurchase_overdue"]


def test_a_high_severity_complaint_takes_thirty_not_fifteen(world) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Delta")
    complaint(world, customer, "medium")
    complaint(world, customer, "critical")
    found = compute(world.acme.pk, [customer.pk], local_today(world.acme))[customer.pk]
    assert (found.score, [r.key for r in found.reasons]) == (70, ["complaint_high"])


def test_the_customer_page_shows_the_score_and_its_reasons(world) -> None:  # type: ignore[no-untyped-def]
    a = customer_a(world)
    page = world.client("rita").get(reverse("sales:customer_detail", args=[a.pk]))
    text = Page(page.content).text("figures")
    assert "45 of 100 · Red" in text
    assert "Detractor score (−30)" in text and "Overdue follow-up (−10)" in text


def _at_risk(world: Any, who: str, **params: str) -> str:
    answer = world.client(who).get(reverse("care:at_risk"), params)
    assert answer.status_code == 200
    return Page(answer.content).text("at-risk") if b'data-testid="at-risk"' in answer.content \
        else ""  # fmt: skip


def test_a_red_customer_is_on_its_rep_and_managers_list_not_another_reps(world) -> None:  # type: ignore[no-untyped-def]
    customer_a(world), customer_b(world)
    rita = _at_risk(world, "rita")
    # Most revenue at stake first: Alfa (1,800) before Bravo (500).
    assert "Alfa Foods" in rita and rita.index("Alfa Foods") < rita.index("Bravo Tools")
    assert "Alfa Foods" in _at_risk(world, "mark")
    assert "Alfa Foods" not in _at_risk(world, "sofia")
    assert "Alfa Foods" not in _at_risk(world, "sam")
    red_only = _at_risk(world, "rita", band="red")
    assert "Alfa Foods" in red_only and "Bravo Tools" not in red_only


def test_filtering_on_someone_out_of_view_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    answer = world.client("rita").get(reverse("care:at_risk"), {"owner": world.sofia.pk})
    assert answer.status_code == 400


def test_the_list_reads_in_the_same_queries_for_more_customers(world) -> None:  # type: ignore[no-untyped-def]
    customer_a(world)
    client = world.client("rita")
    url = reverse("care:at_risk")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        extra = f.CustomerFactory(organization=world.acme, owner=world.rita, name=f"More {n}")
        survey(world, extra, "nps", 3, 5)
        overdue_follow_up(world, extra)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_admins_weights_change_the_score(world) -> None:  # type: ignore[no-untyped-def]
    a = customer_a(world)
    url = reverse("care:health_settings")
    form = {"detractor": "0", "detractor_days": "90", "complaint": "15", "complaint_high": "30",
            "overdue_follow_up": "10", "repurchase_overdue": "20", "falling_spend": "15",
            "spend_drop_percent": "20", "valuable_from": "0"}  # fmt: skip
    assert world.client("rita").post(url, form).status_code == 403
    refused = world.client("alice").post(url, {**form, "detractor": "150"})
    assert refused.status_code == 400 and not HealthSettings.objects.exists()
    negative = world.client("alice").post(url, {**form, "valuable_from": "-5"})
    assert negative.status_code == 400 and "error-valuable_from" in negative.content.decode()
    assert not HealthSettings.objects.exists()
    assert world.client("alice").post(url, form).status_code == 302
    found = compute(world.acme.pk, [a.pk], local_today(world.acme))[a.pk]
    assert (found.score, found.band) == (75, "yellow")  # 100 - 15 - 10
    page = world.client("rita").get(reverse("sales:customer_detail", args=[a.pk]))
    assert "75 of 100 · Yellow" in Page(page.content).text("figures")


def _red_notices(member: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind="customer_red"))


def test_a_valuable_customer_turning_red_is_announced_once(world) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Echo Cafe")
    won(world, customer, 20, "2500")
    small = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Tiny Shop")
    won(world, small, 20, "100")
    HealthSettings.objects.create(organization=world.acme, valuable_from=Decimal("1000"))
    health_sweep(organization=world.acme)  # first sweep: the bands as they are
    assert not _red_notices(world.rita)
    for target in (customer, small):
        survey(world, target, "nps", 1, 1)
        complaint(world, target, "high")
    health_sweep(organization=world.acme)  # 100 - 30 - 30 = 40: red
    for person in (world.rita, world.mark):
        notices = _red_notices(person)
        assert [n.title for n in notices] == ["Echo Cafe turned red: customer at risk"]
    assert not _red_notices(world.sofia)
    health_sweep(organization=world.acme)  # still red: nothing new
    health_sweep(organization=world.acme, today=timezone.localdate() + dt.timedelta(days=1))
    assert len(_red_notices(world.rita)) == 1
