"""Reorder reminders: each customer's typical interval between purchases
(their own median gap, else their segment's, else the organisation's), a
reorder follow-up once it has passed, raised once; and the one-time buyers
worth a second call. Expected values worked out by hand below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from rumbo.care import reorder
from rumbo.care.models import FollowUp
from rumbo.care.tasks import raise_reorder_follow_ups
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 1)


def _won(world, customer, *days, owner=None, amount="100.00"):  # type: ignore[no-untyped-def]
    for day in days:
        f.DealFactory(organization=world.acme, owner=owner or world.rita, customer=customer,
                      outcome="won", stage="closed", created_on=day - dt.timedelta(days=5),
                      closed_on=day, amount=Decimal(amount), amount_base=Decimal(amount),
                      currency="EUR")  # fmt: skip


def _customer(world, name, segment="", owner=None):  # type: ignore[no-untyped-def]
    return f.CustomerFactory(organization=world.acme, owner=owner or world.rita, name=name,
                             segment=segment)  # fmt: skip


def test_gaps_and_medians() -> None:
    # Two deals on 10 January are one purchase: gaps 20 (to 30 Jan) and 40 (to 11 Mar).
    assert reorder.gaps([D(2026, 1, 10), D(2026, 1, 30), D(2026, 1, 10), D(2026, 3, 11)]) == [
        20, 40]  # fmt: skip
    assert reorder.median_gap([20, 40]) == 30
    assert reorder.median_gap([10, 50, 20]) == 20
    assert reorder.median_gap([30]) is None  # one gap is not a habit


@pytest.fixture
def shop(world):  # type: ignore[no-untyped-def]
    """Regular: own gaps 30, 30, 60 → median 30, last bought 1 May (due 31 May).
    Retail A: gaps 10 and 20 (segment retail). Retail B: one gap of 40, retail:
    its segment's gaps 10, 20, 40 → median 20. Once: bought only on 1 April,
    no segment: the organisation's gaps 30, 30, 60, 10, 20, 40 → median 30."""
    regular = _customer(world, "Regular")
    _won(world, regular, D(2026, 1, 1), D(2026, 1, 31), D(2026, 3, 2), D(2026, 5, 1))
    retail_a = _customer(world, "Retail A", "Retail")
    _won(world, retail_a, D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 31))
    retail_b = _customer(world, "Retail B", " retail ")
    _won(world, retail_b, D(2026, 3, 1), D(2026, 4, 10))
    once = _customer(world, "Once")
    _won(world, once, D(2026, 4, 1), amount="900.00")
    return world, {"regular": regular, "a": retail_a, "b": retail_b, "once": once}


def test_each_customer_has_an_interval_from_the_nearest_level(shop) -> None:  # type: ignore[no-untyped-def]
    world, c = shop
    found = reorder.intervals(world.acme.pk)
    got = {name: (found[c[name].pk].days, found[c[name].pk].basis) for name in c}
    assert got == {
        "regular": (30, "customer"),
        "a": (15, "customer"),  # gaps 10 and 20
        "b": (20, "segment"),
        "once": (30, "organization"),
    }


def test_a_reorder_follow_up_is_raised_once_the_interval_passed(shop) -> None:  # type: ignore[no-untyped-def]
    world, c = shop
    # On 1 June: Regular (last 1 May + 30 = 31 May) is due; Retail B (10 April
    # + 20 = 30 April, twice over on 20 May) has lapsed; Retail A (31 January)
    # lapsed long ago; Once (1 April + 30 = 1 May, twice over 31 May) lapsed.
    assert reorder.raise_reorders(world.acme, TODAY) == 1
    raised = FollowUp.objects.get(kind="reorder")
    assert (raised.customer, raised.owner, raised.due_on, raised.status) == (
        c["regular"], world.rita, TODAY, "open")  # fmt: skip
    assert raised.title == "Reorder reminder"
    # Again the same day, the next day, and after the rep did it: nothing more.
    assert reorder.raise_reorders(world.acme, TODAY) == 0
    assert reorder.raise_reorders(world.acme, TODAY + dt.timedelta(days=1)) == 0
    raised.status, raised.done_on = "done", TODAY
    raised.save()
    assert reorder.raise_reorders(world.acme, TODAY + dt.timedelta(days=2)) == 0
    assert FollowUp.objects.filter(kind="reorder").count() == 1


def test_each_owner_gets_theirs_and_a_purchase_starts_a_new_wait(shop) -> None:  # type: ignore[no-untyped-def]
    world, c = shop
    c["once"].owner = world.nina
    c["once"].save()
    # On 10 May: Once (1 April + 30 = 1 May; twice over on 31 May) and Retail B
    # (10 April + 20 = 30 April; twice over on 20 May) are due; Regular (31 May) not yet.
    assert reorder.raise_reorders(world.acme, D(2026, 5, 10)) == 2
    raised = {x.customer.name: x.owner for x in FollowUp.objects.filter(kind="reorder")}
    assert raised == {"Once": world.nina, "Retail B": world.rita}
    # Retail B buys again on 12 May (its plan cancels the reminder): its gaps
    # are now 40 and 32, median 36, so the next reminder is due on 17 June.
    _won(world, c["b"], D(2026, 5, 12))
    FollowUp.objects.filter(customer=c["b"]).update(status="cancelled",
                                                    stop_reason="bought_again")  # fmt: skip
    assert reorder.raise_reorders(world.acme, D(2026, 6, 16)) == 1  # only Regular (31 May)
    assert reorder.raise_reorders(world.acme, D(2026, 6, 17)) == 1  # Retail B's new one
    assert FollowUp.objects.filter(customer=c["b"], kind="reorder", status="open").get().due_on \
        == D(2026, 6, 17)  # fmt: skip


def test_the_periodic_job_runs_every_organisation(shop) -> None:  # type: ignore[no-untyped-def]
    world, c = shop
    # Today (the real one) is long after these 2026 purchases... or before: either
    # way the job answers a count and never raises twice.
    first = raise_reorder_follow_ups.call_local()
    assert raise_reorder_follow_ups.call_local() == 0
    assert FollowUp.objects.filter(kind="reorder").count() == first


def test_one_time_buyers_worth_a_second_call(shop) -> None:  # type: ignore[no-untyped-def]
    world, c = shop
    big = _customer(world, "Big once")
    _won(world, big, D(2026, 2, 1), amount="5000.00")
    recent = _customer(world, "Recent once")
    _won(world, recent, D(2026, 5, 20), amount="9000.00")  # only 12 days old on 1 June
    other = _customer(world, "Nina's once", owner=world.nina)
    _won(world, other, D(2026, 1, 5), amount="7000.00")
    names = [x.name for x in reorder.one_time_buyers(world.rita, TODAY)]
    assert names == ["Big once", "Once"]  # 5,000 before 900; repeat buyers left out
    first: Any = reorder.one_time_buyers(world.rita, TODAY)[0]
    assert (first.won_on, first.won_amount) == (D(2026, 2, 1), Decimal("5000.00"))
    # Rita cannot list Nina's customers even asking for all she may see.
    assert "Nina's once" not in [
        x.name for x in reorder.one_time_buyers(world.rita, TODAY, mine=False)
    ]
    manager = [x.name for x in reorder.one_time_buyers(world.alice, TODAY, mine=False)]
    assert manager == ["Nina's once", "Big once", "Once"]  # 7,000, 5,000, 900
