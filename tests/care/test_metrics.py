"""Care in the metrics: follow-ups done (on time) count for the member they
are assigned to on the day they were done; won deals followed up for the
deal's owner on its close day. Completing a follow-up through the service a
page uses refreshes the figures. Expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from rumbo.care import services
from rumbo.care.models import FollowUp
from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.selectors import evaluate
from rumbo.metrics.services import metrics_rebuild
from tests import factories as f
from tests.care.conftest import today, win
from tests.metrics.checks import assert_rollups_match

pytestmark = pytest.mark.django_db


def _follow_up(world: Any, deal: Any, due: dt.date, owner: str = "rita") -> FollowUp:
    return FollowUp.objects.create(
        organization=world.acme, owner=world.members[owner], customer=deal.customer, deal=deal,
        kind="checkin", title="Check-in call", due_on=due,
    )  # fmt: skip


def _value(world: Any, key: str, start: dt.date, end: dt.date, who: str = "rita") -> Any:
    scope = Scope("rep", world.members[who].pk)
    metric = registry.METRICS[key]
    rows = evaluate(actor=world.alice, metric=metric, scope=scope, start=start, end=end).rows
    return rows[0].value


@pytest.fixture
def done(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Rita wins two deals 20 days ago (one is the persona deal's customer's).
    Her follow-ups: due 15 days ago, done 15 days ago (on time); due 12 days
    ago, done 14 days ago (early: on time); due 12 days ago, done 10 days ago
    (late); one cancelled; one still open. Only the first deal gets any done."""
    t = today()
    day = t - dt.timedelta(days=20)
    metrics_rebuild(organization=world.acme)
    with django_capture_on_commit_callbacks(execute=True):
        first = win(world, "rita", day, name="First")
        second = win(world, "rita", day, name="Second")
    plan = [(15, 15), (12, 14), (12, 10)]
    with django_capture_on_commit_callbacks(execute=True):
        for due_ago, done_ago in plan:
            x = _follow_up(world, first, t - dt.timedelta(days=due_ago))
            services.complete(actor=world.rita, follow_up=x, day=t - dt.timedelta(days=done_ago),
                              outcome="done")  # fmt: skip
        services.cancel(actor=world.rita, follow_up=_follow_up(world, second, t))
        _follow_up(world, second, t + dt.timedelta(days=3))
    return world, day, first, second


def test_follow_ups_done_on_time_for_the_rep_on_the_day_done(done) -> None:  # type: ignore[no-untyped-def]
    world, day, _first, _second = done
    t = today()
    month = (t - dt.timedelta(days=30), t)
    assert _value(world, "followups_done", *month) == 3
    # Two of three on time: 66.67 %.
    assert _value(world, "followups_on_time", *month) == Decimal("66.67")
    # The late one was done 10 days ago: the last 11 days hold it alone (0 %).
    assert _value(world, "followups_on_time", t - dt.timedelta(days=11), t) == Decimal(0)
    # Nobody else did any: no rate, rather than 0 %.
    assert _value(world, "followups_on_time", *month, who="nina") is None
    assert_rollups_match(world.acme)


def test_won_deals_followed_up(done, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    world, day, first, second = done
    # Two deals won on `day`, one with a follow-up done: 50 %.
    assert _value(world, "followup_coverage", day, day) == Decimal("50.00")
    # Completing one of the second deal's follow-ups makes it 100 % (the open one, due in 3 days).
    x = FollowUp.objects.get(deal=second, status="open")
    with django_capture_on_commit_callbacks(execute=True):
        services.complete(actor=world.rita, follow_up=x, day=today(), outcome="done")
    assert _value(world, "followup_coverage", day, day) == Decimal("100.00")
    assert_rollups_match(world.acme)


def test_removing_a_done_follow_up_takes_it_out(done, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    world, day, first, _second = done
    with django_capture_on_commit_callbacks(execute=True):
        for x in FollowUp.objects.filter(deal=first, status="done"):
            services.follow_up_delete(actor=world.alice, obj=x)
    t = today()
    assert _value(world, "followups_done", t - dt.timedelta(days=30), t) == 0
    assert _value(world, "followup_coverage", day, day) == Decimal(0)
    assert_rollups_match(world.acme)


def test_the_rate_needs_ten_follow_ups_to_be_shown_bare(done) -> None:  # type: ignore[no-untyped-def]
    metric = registry.METRICS["followups_on_time"]
    assert metric.family == "quality" and metric.unit == "percent"
    assert metric.sample is not None
    totals = {"followups_done": Decimal(3), "followups_on_time": Decimal(2)}
    assert not metric.sample.enough(totals)
    assert metric.sample.words(3) == "3 follow-ups done"
    assert metric.sample.enough({"followups_done": Decimal(10), "followups_on_time": Decimal(9)})


def test_metrics_show_and_the_scorecard_list_them(done) -> None:  # type: ignore[no-untyped-def]
    world, _day, _first, _second = done
    t = today()
    out = io.StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "followups_on_time",
                 "--from", (t - dt.timedelta(days=30)).isoformat(), "--to", t.isoformat(),
                 "--by", "rep", "--format", "json", stdout=out)  # fmt: skip
    rows = {row["rep"]: row["value"] for row in json.loads(out.getvalue())}
    assert rows[world.rita.name] == pytest.approx(66.67, abs=0.01)
    page = world.client("alice").get("/scorecard/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Follow-ups done on time", "Won deals followed up", "Follow-ups done"):
        assert label in html


def test_second_purchase_rate_and_time_to_second_purchase(world) -> None:  # type: ignore[no-untyped-def]
    """A: first with Rita on 1 March, again with Nina on 31 March (30 days).
    B: first with Rita on 6 March, again with Rita on 22 September (200 days).
    C: only once, with Rita on 11 March."""
    start = dt.date(2025, 3, 1)
    buys = {"A": [(0, "rita"), (30, "nina")], "B": [(5, "rita"), (205, "rita")],
            "C": [(10, "rita")]}  # fmt: skip
    for name, deals in buys.items():
        customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name=name)
        for offset, owner in deals:
            day = start + dt.timedelta(days=offset)
            f.DealFactory(
                organization=world.acme, owner=world.members[owner], customer=customer,
                outcome="won", stage="closed", created_on=day, closed_on=day,
                amount=Decimal(100), amount_base=Decimal(100), currency="EUR",
            )  # fmt: skip
    march = (start, dt.date(2025, 3, 31))
    # Rita's new customers in March: A, B, C; A bought again within 90 days: 33.33 %.
    assert _value(world, "second_purchase_rate", *march) == Decimal("33.33")
    # Nina made no first sale: no rate.
    assert _value(world, "second_purchase_rate", *march, who="nina") is None
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert _value(world, "time_to_second_purchase", *year, who="nina") == Decimal(30)
    assert _value(world, "time_to_second_purchase", *year) == Decimal(200)
    rows = evaluate(actor=world.alice, metric=registry.METRICS["time_to_second_purchase"],
                    start=year[0], end=year[1]).rows  # fmt: skip
    assert [row.value for row in rows] == [Decimal(115)]  # (30 + 200) ÷ 2
