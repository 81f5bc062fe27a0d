"""A won deal starts its care plan; the plan stops when the deal is no longer
won or the customer buys again; history does not flood anyone's list."""

from __future__ import annotations

import datetime as dt

import pytest

from rumbo.care.models import FollowUp
from rumbo.care.services import StepInput
from rumbo.sales.services import deal_save
from tests import factories as f
from tests.care.conftest import make_plan, today, win

pytestmark = pytest.mark.django_db


def _open(deal):  # type: ignore[no-untyped-def]
    return list(FollowUp.objects.filter(deal=deal, status="open").order_by("due_on"))


def test_winning_a_deal_schedules_its_plan_steps(world, plan) -> None:  # type: ignore[no-untyped-def]
    day = today()
    deal = win(world, "rita", day)
    found = [(x.title, x.due_on, x.owner.name) for x in _open(deal)]
    in_3_months = day.replace(month=day.month + 3) if day.month <= 9 else \
        day.replace(year=day.year + 1, month=day.month - 9)  # fmt: skip
    assert found == [
        ("Check-in call", day + dt.timedelta(days=3), world.rita.name),
        ("Satisfaction survey", day + dt.timedelta(days=30), world.rita.name),
        # Assigned to the rep's manager: Mark manages North.
        ("Quarterly review", in_3_months, world.mark.name),
    ]


def test_saving_the_won_deal_again_schedules_nothing_more(world, plan) -> None:  # type: ignore[no-untyped-def]
    deal = win(world, "rita")
    deal.name = "Renamed"
    deal_save(actor=world.rita, deal=deal, creating=False)
    assert FollowUp.objects.filter(deal=deal).count() == 3


def test_a_deal_no_longer_won_stops_its_plan(world, plan) -> None:  # type: ignore[no-untyped-def]
    deal = win(world, "rita")
    deal.outcome, deal.loss_reason = "lost", "price"
    deal_save(actor=world.rita, deal=deal, creating=False)
    assert _open(deal) == []
    reasons = set(FollowUp.objects.filter(deal=deal).values_list("stop_reason", flat=True))
    assert reasons == {"deal_lost"}


def test_buying_again_stops_the_earlier_plan_and_starts_the_new_one(world, plan) -> None:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita)
    first = win(world, "rita", today() - dt.timedelta(days=5), customer=customer, name="First")
    assert len(_open(first)) == 3
    second = win(world, "rita", today(), customer=customer, name="Second")
    assert _open(first) == []
    assert set(FollowUp.objects.filter(deal=first).values_list("stop_reason", flat=True)) == {
        "bought_again"
    }
    assert len(_open(second)) == 3


def test_a_plan_for_the_segment_comes_before_the_default(world, plan) -> None:  # type: ignore[no-untyped-def]
    make_plan(world, "Enterprise care", is_default=False, segment="Enterprise",
              steps=[StepInput("visit", "Site visit", 1, "weeks")])  # fmt: skip
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, segment="enterprise ")
    deal = win(world, "rita", customer=customer)
    assert [x.title for x in _open(deal)] == ["Site visit"]


def test_a_deal_won_last_year_adds_no_overdue_follow_ups(world, plan) -> None:  # type: ignore[no-untyped-def]
    deal = win(world, "rita", today() - dt.timedelta(days=365))
    assert FollowUp.objects.filter(deal=deal).count() == 0


def test_no_plan_no_follow_ups(world) -> None:  # type: ignore[no-untyped-def]
    deal = win(world, "rita")
    assert FollowUp.objects.filter(deal=deal).count() == 0
