"""Customers' feedback that notifies: a complaint opened on your customer, a
serious one escalated to the manager (high) and the admins (critical), a
survey answered by a detractor — each to the right people, once, never to
the person who recorded it, never to another rep."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from rumbo.notifications.models import Notification
from rumbo.sales.models import Complaint, SurveyResponse
from rumbo.sales.services import complaint_save, survey_response_save
from tests.personas import World

pytestmark = pytest.mark.django_db


def titles(member: Any) -> list[str]:
    return [n.title for n in Notification.objects.filter(recipient=member)]


def complaint(world: World, actor: str, severity: str = "medium", owner: str = "rita") -> Complaint:
    customer = world.records[owner].customer
    return complaint_save(actor=world.members[actor], creating=True, complaint=Complaint(
        organization=world.acme, customer=customer, category="delivery", severity=severity,
        description="The order came two weeks late and nobody called."))  # fmt: skip


def survey(world: World, actor: str, kind: str, score: int, owner: str = "rita") -> SurveyResponse:
    customer = world.records[owner].customer
    return survey_response_save(actor=world.members[actor], creating=True, response=SurveyResponse(
        organization=world.acme, customer=customer, kind=kind, score=score,
        responded_on=timezone.localdate(), comment="Too slow."))  # fmt: skip


def test_a_complaint_on_your_customer_tells_you_and_nobody_else(world) -> None:  # type: ignore[no-untyped-def]
    before = Notification.objects.count()
    made = complaint(world, "mark")
    [told] = Notification.objects.filter(recipient=world.rita)
    assert told.kind == "complaint" and told.title == "Complaint from Rita customer"
    assert told.link == f"/complaints/{made.pk}/"
    assert "Medium severity · Delivery. The order came two weeks late" in told.body
    assert Notification.objects.count() == before + 1  # medium: no escalation
    # Edited later: not told again.
    made.description = "Late, and the invoice was wrong."
    complaint_save(actor=world.members["mark"], complaint=made, creating=False)
    assert len(titles(world.rita)) == 1


def test_the_rep_who_records_it_is_not_told_of_their_own_entry(world) -> None:  # type: ignore[no-untyped-def]
    complaint(world, "rita")
    assert titles(world.rita) == []


def test_a_high_severity_complaint_is_escalated_to_the_manager(world) -> None:  # type: ignore[no-untyped-def]
    complaint(world, "rita", severity="high")
    assert titles(world.mark) == ["Escalated to you: complaint from Rita customer"]
    told = Notification.objects.get(recipient=world.mark)
    assert "On Rita’s customer. High severity" in told.body
    assert titles(world.alice) == [] and titles(world.sam) == [] and titles(world.sofia) == []
    assert titles(world.nina) == []


def test_a_rep_without_a_team_manager_escalates_to_the_one_above(world) -> None:  # type: ignore[no-untyped-def]
    complaint(world, "mark", severity="critical", owner="nina")  # North-East has no manager
    assert titles(world.nina) == ["Complaint from Nina customer"]
    assert titles(world.alice) == ["Escalated to you: complaint from Nina customer"]
    assert titles(world.mark) == []  # he recorded it: he knows
    assert titles(world.sam) == [] and titles(world.rita) == []


def test_a_critical_complaint_reaches_manager_and_admins(world) -> None:  # type: ignore[no-untyped-def]
    complaint(world, "rita", severity="critical")
    assert titles(world.mark) == ["Escalated to you: complaint from Rita customer"]
    assert titles(world.alice) == ["Escalated to you: complaint from Rita customer"]
    assert titles(world.rita) == [] and titles(world.sam) == []


def test_raising_the_severity_later_escalates_once(world) -> None:  # type: ignore[no-untyped-def]
    made = complaint(world, "alice")
    assert titles(world.mark) == []
    made.severity = "high"
    complaint_save(actor=world.alice, complaint=made, creating=False)
    complaint_save(actor=world.alice, complaint=made, creating=False)
    assert titles(world.mark) == ["Escalated to you: complaint from Rita customer"]


def test_a_detractor_answer_tells_the_customers_owner(world) -> None:  # type: ignore[no-untyped-def]
    response = survey(world, "alice", "nps", 3)
    [told] = Notification.objects.filter(recipient=world.rita)
    assert told.kind == "detractor"
    assert told.title == "Unhappy customer: Rita customer answered NPS 3"
    assert told.body == "“Too slow.” Call them before it turns into a complaint."
    assert told.link == f"/surveys/{response.pk}/"
    survey(world, "alice", "csat", 2)
    assert len(titles(world.rita)) == 2
    assert Notification.objects.exclude(recipient=world.rita).count() == 0


def test_passives_and_promoters_notify_nobody(world) -> None:  # type: ignore[no-untyped-def]
    before = Notification.objects.count()
    survey(world, "alice", "nps", 7)
    survey(world, "alice", "csat", 3)
    assert Notification.objects.count() == before


def test_a_rep_never_hears_of_another_reps_customers(world) -> None:  # type: ignore[no-untyped-def]
    complaint(world, "alice", severity="critical", owner="sofia")
    survey(world, "alice", "nps", 0, owner="sofia")
    assert len(titles(world.sofia)) == 2
    for rep in ("rita", "nina", "olga"):
        assert titles(world.members[rep]) == []
    assert titles(world.sam) == ["Escalated to you: complaint from Sofia customer"]
    assert titles(world.mark) == []


def test_a_history_written_afterwards_keeps_its_day(world) -> None:  # type: ignore[no-untyped-def]
    from rumbo.notifications.feedback_events import complaint_notify

    made = complaint(world, "rita", owner="rita")
    at = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # already 3 March in Madrid
    world.acme.time_zone = "Europe/Madrid"
    world.acme.save()
    complaint_notify(complaint=made, actor=None, creating=True, at=at)
    told = Notification.objects.get(recipient=world.rita)
    assert told.day == dt.date(2026, 3, 3) and told.created_at == at


def test_a_complaint_counted_for_another_rep_tells_only_who_may_open_it(world) -> None:  # type: ignore[no-untyped-def]
    # Rita's customer, but the complaint counts for Sofia's deal (ADR 0011):
    # Rita may not open it, so she gets neither its text nor its link.
    made = complaint_save(actor=world.members["alice"], creating=True, complaint=Complaint(
        organization=world.acme, customer=world.records["rita"].customer, rep=world.sofia,
        category="delivery", severity="high", description="Sofia's order came late."))  # fmt: skip
    assert titles(world.rita) == []
    assert titles(world.sofia) == ["Complaint from Rita customer"]
    everyone = Notification.objects.filter(body__contains="Sofia's order")
    for notice in everyone:
        assert Complaint.objects.visible_to(notice.recipient).filter(pk=made.pk).exists()
