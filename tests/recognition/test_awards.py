"""Badges from the written rules: each awarded once per thing, however often
its event repeats; a rule the admin switched off awards nothing; the person
hears of it in their notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rumbo.goals.models import Goal, Milestone
from rumbo.goals.signals import progress_recorded
from rumbo.notifications.models import Notification
from rumbo.recognition.models import Badge
from rumbo.recognition.services import rule_settings_set
from rumbo.recognition.tasks import recognition_sweep
from rumbo.sales import services as sales
from rumbo.sales.models import Complaint, Deal, SurveyResponse
from tests import factories as f
from tests.personas import World

pytestmark = pytest.mark.django_db
D = dt.date


def badges(member: Any, rule: str) -> list[Badge]:
    return list(Badge.objects.filter(member=member, rule=rule))


def record(world: World, goal: Goal, day: dt.date, actual: str) -> None:
    row = (goal.pk, day, Decimal(actual), Decimal(0), 0.0, 0.0, 0.0, 0.5, "on_track")
    progress_recorded.send(sender=Goal, organization=world.acme, rows=[row])


def revenue_goal(world: World) -> Goal:
    goal = Goal.objects.create(organization=world.acme, member=world.rita, metric="revenue",
                               name="Q1 revenue", target=Decimal(3000), start=D(2026, 1, 1),
                               end=D(2026, 3, 31))  # fmt: skip
    Milestone.objects.create(goal=goal, day=D(2026, 2, 15), target=Decimal(1500))
    return goal


def test_a_goal_and_its_milestone_award_once_and_tell_the_rep(world: World) -> None:
    goal = revenue_goal(world)
    record(world, goal, D(2026, 2, 1), "1000")
    assert badges(world.rita, "milestone") == []
    record(world, goal, D(2026, 2, 10), "1600")
    record(world, goal, D(2026, 2, 11), "1700")  # recorded again: no second badge
    assert len(badges(world.rita, "milestone")) == 1
    assert badges(world.rita, "goal_achieved") == []
    record(world, goal, D(2026, 3, 2), "3100")
    record(world, goal, D(2026, 3, 3), "3200")
    [won] = badges(world.rita, "goal_achieved")
    assert won.earned_on == D(2026, 3, 2)
    titles = list(Notification.objects.filter(recipient=world.rita, kind="badge")
                  .values_list("title", flat=True))  # fmt: skip
    assert sorted(titles) == ["Badge earned: Goal achieved", "Badge earned: Milestone reached"]
    assert Notification.objects.filter(recipient=world.mark, kind="badge").count() == 0


def test_a_rule_switched_off_awards_nothing(world: World) -> None:
    rule_settings_set(actor=world.alice, enabled=["milestone", "promoter"])
    goal = revenue_goal(world)
    record(world, goal, D(2026, 3, 2), "3100")
    assert badges(world.rita, "goal_achieved") == []
    assert Notification.objects.filter(recipient=world.rita, kind="badge").count() == 0
    # Another organisation's switches are its own.
    assert rule_settings_set(actor=world.oscar, enabled=["goal_achieved"]) == {"goal_achieved"}


def _survey(world: World, score: int, kind: str = "nps", **extra: Any) -> SurveyResponse:
    records = world.records["rita"]
    response = SurveyResponse(organization=world.acme, kind=kind, score=score,
                              responded_on=timezone.localdate(), customer=records.customer,
                              rep=world.rita, **extra)  # fmt: skip
    return sales.survey_response_save(actor=world.rita, response=response, creating=True)


def test_a_promoter_earns_once_per_customer(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        _survey(world, 6)
    assert badges(world.rita, "promoter") == []
    with django_capture_on_commit_callbacks(execute=True):
        _survey(world, 10)
        _survey(world, 9)
    assert len(badges(world.rita, "promoter")) == 1
    assert Notification.objects.get(recipient=world.rita, kind="badge").title == (
        "Badge earned: Promoter"
    )


def _won(world: World, name: str, day: dt.date) -> Deal:
    records = world.records["rita"]
    deal = Deal(organization=world.acme, owner=world.rita, customer=records.customer, name=name,
                outcome="won", stage="closed", closed_on=day, currency="EUR",
                amount=Decimal(500))  # fmt: skip
    return sales.deal_save(actor=world.rita, deal=deal, creating=True)


def test_a_customer_who_complained_and_bought_again_is_recovered(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    today = timezone.localdate()
    complaint = world.records["rita"].complaint
    Complaint.objects.filter(pk=complaint.pk).update(
        status="resolved",
        opened_at=timezone.now() - dt.timedelta(days=9),
        resolved_at=timezone.now() - dt.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        deal = _won(world, "Back again", today)
    [recovered] = badges(world.rita, "recovered_customer")
    assert recovered.link == f"/deals/{deal.pk}/"
    # The customer had bought before (the personas' won deal): a returning customer too.
    assert len(badges(world.rita, "repeat_customer")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _won(world, "And again", today)
    assert len(badges(world.rita, "recovered_customer")) == 1
    assert len(badges(world.rita, "repeat_customer")) == 1


def test_an_open_complaint_recovers_nobody(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        _won(world, "Still unhappy", timezone.localdate())
    assert badges(world.rita, "recovered_customer") == []


def test_a_month_of_satisfied_customers(world: World) -> None:
    customer = world.records["nina"].customer
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    for score in (5, 5, 4, 4, 5, 2):  # 5 of 6 satisfied: 83 % against the default 80 %
        f.SurveyResponseFactory(organization=world.acme, rep=world.nina, customer=customer,
                                kind="csat", score=score, responded_on=last_month)  # fmt: skip
    for score in (5, 4, 2, 1, 5):  # 3 of 5: 60 %
        f.SurveyResponseFactory(organization=world.acme, rep=world.sofia,
                                customer=world.records["sofia"].customer, kind="csat",
                                score=score, responded_on=last_month)  # fmt: skip
    recognition_sweep.call_local()
    recognition_sweep.call_local()
    [month] = badges(world.nina, "csat_month")
    assert month.subject_key == f"csat:{last_month:%Y-%m}"
    assert badges(world.sofia, "csat_month") == []


def test_rules_that_cannot_run_yet_stay_off(world: World) -> None:
    on = rule_settings_set(actor=world.alice, enabled=["followup_streak", "certification"])
    assert on == frozenset()
