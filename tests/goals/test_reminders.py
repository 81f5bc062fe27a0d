"""Reminders for goals behind pace: who hears about which goal, once a day,
and the command that records the day and sends them."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from rumbo.goals.models import Progress
from rumbo.goals.progress import goals_recompute
from rumbo.goals.reminders import goal_reminders_send
from rumbo.notifications.models import Notification
from tests.goals.conftest import D, make_goal

pytestmark = pytest.mark.django_db
DAY = D(2026, 2, 10)


def test_owners_of_goals_behind_pace_are_reminded_once_a_day(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    behind = make_goal(world, "alice", member=world.rita, target=Decimal(6000))
    on_track = make_goal(world, "alice", member=world.nina, target=Decimal(100))
    team = make_goal(world, "alice", team=world.teams["north"], target=Decimal(50000))
    goals_recompute(organization=world.acme, day=DAY)
    assert Progress.objects.get(goal=on_track, day=DAY).status in ("on_track", "achieved")
    assert goal_reminders_send(organization=world.acme, day=DAY) == 2
    rita = Notification.objects.get(recipient=world.rita)
    assert rita.subject_key == f"goal:{behind.pk}" and rita.link == f"/goals/{behind.pk}/"
    assert "chance of reaching the target" in rita.body and "you are forecast" in rita.body
    # The team goal goes to North's manager, in words about the team, not "you".
    mark = Notification.objects.get(recipient=world.mark)
    assert mark.subject_key == f"goal:{team.pk}" and "than forecast would close" in mark.body
    assert not Notification.objects.filter(recipient=world.nina).exists()
    assert goal_reminders_send(organization=world.acme, day=DAY) == 0  # once a day
    assert goal_reminders_send(organization=world.acme, day=D(2026, 2, 11)) == 0  # no row that day


def test_goals_command_records_the_day_and_reminds(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    goal = make_goal(world, "alice", member=world.rita, target=Decimal(6000))
    out = StringIO()
    call_command("goals", "remind", "--org", "acme", "--day", "2026-02-12", stdout=out)
    assert Progress.objects.filter(goal=goal, day=D(2026, 2, 12)).exists()
    assert "1 reminder sent." in out.getvalue()
