"""Goals that notify: a status that turns at risk or off track (once per
change, to the goal's owner only), a milestone reached or missed (once), a
proposal (to the manager who decides) and its approval or rejection (to the rep)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from rumbo.goals.models import Goal, Milestone, Progress, State
from rumbo.goals.progress import goals_recompute
from rumbo.goals.services import goal_approve, goal_reject, goal_save
from rumbo.goals.signals import progress_recorded
from rumbo.notifications.models import Notification
from tests.goals.conftest import make_goal
from tests.goals.conftest import sales as sales  # the fixture
from tests.personas import World

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = D(2026, 2, 9)


def goal(world: World, **fields: Any) -> Goal:
    """A goal as stored, without the services' recording (the test records)."""
    values = {"organization": world.acme, "metric": "revenue", "target": Decimal(3000),
              "start": D(2026, 1, 1), "end": D(2026, 3, 31), "name": "Q1 revenue"}  # fmt: skip
    values.update(fields)
    return Goal.objects.create(**values)


def record(world: World, goal: Goal, day: dt.date, status: str, actual: str = "1000") -> None:
    """What goals_recompute does for one goal and day: the row, then the signal."""
    row = (goal.pk, day, Decimal(actual), Decimal("1500"), 2400.0, 2000.0, 2800.0, 0.25, status)
    Progress.objects.update_or_create(
        goal=goal, day=day,
        defaults=dict(zip(("actual", "expected", "forecast", "low", "high", "probability",
                           "status"), row[2:], strict=True)),
    )  # fmt: skip
    progress_recorded.send(sender=Goal, organization=world.acme, rows=[row])


def notices(member: Any, kind: str | None = None) -> list[Notification]:
    qs = Notification.objects.filter(recipient=member)
    return list(qs.filter(kind=kind) if kind else qs)


def test_a_goal_turning_off_track_tells_its_rep_once_per_change(world) -> None:  # type: ignore[no-untyped-def]
    mine = goal(world, member=world.rita)
    record(world, mine, MONDAY, "on_track")
    assert notices(world.rita) == []
    record(world, mine, MONDAY + dt.timedelta(days=1), "off_track")
    [told] = notices(world.rita)
    assert (told.kind, told.link, told.title) == ("goal_status", f"/goals/{mine.pk}/",
                                                  "Off track: Q1 revenue")  # fmt: skip
    assert "chance of reaching the target" in told.body
    # Recorded again the same day (the job runs hourly) and on the days after,
    # still off track: nothing new.
    for days in (1, 2, 3):
        record(world, mine, MONDAY + dt.timedelta(days=days), "off_track")
    assert len(notices(world.rita)) == 1
    # It recovers, then falls behind again: told again.
    record(world, mine, MONDAY + dt.timedelta(days=4), "on_track")
    record(world, mine, MONDAY + dt.timedelta(days=5), "at_risk")
    assert [n.title for n in notices(world.rita)] == ["At risk: Q1 revenue",
                                                      "Off track: Q1 revenue"]  # fmt: skip
    # Nobody else hears about Rita's goal: not her peers, not her manager.
    assert not Notification.objects.exclude(recipient=world.rita).exists()


def test_from_at_risk_to_off_track_is_a_change(world) -> None:  # type: ignore[no-untyped-def]
    mine = goal(world, member=world.rita)
    record(world, mine, MONDAY, "at_risk")
    record(world, mine, MONDAY + dt.timedelta(days=1), "off_track")
    assert [n.title for n in notices(world.rita)] == ["Off track: Q1 revenue",
                                                      "At risk: Q1 revenue"]  # fmt: skip


def test_a_team_goal_tells_its_manager_and_whom_he_answers_to(world) -> None:  # type: ignore[no-untyped-def]
    team = goal(world, team=world.teams["north"], name="North Q1")
    everyone = goal(world, name="Acme Q1")
    record(world, team, MONDAY, "at_risk")
    record(world, everyone, MONDAY, "off_track")
    assert [n.title for n in notices(world.mark)] == ["At risk: North Q1"]
    # Alice, the admin, runs the organisation and is who Mark answers to.
    assert sorted(n.title for n in notices(world.alice)) == ["At risk: North Q1",
                                                             "Off track: Acme Q1"]  # fmt: skip
    assert not Notification.objects.exclude(recipient__in=[world.mark, world.alice]).exists()


def test_recording_progress_sends_the_notice(sales) -> None:  # type: ignore[no-untyped-def]
    world = sales
    behind = make_goal(world, "alice", member=world.rita, target=Decimal(6000))
    make_goal(world, "alice", member=world.nina, target=Decimal(100))
    day = D(2026, 2, 10)
    goals_recompute(organization=world.acme, day=day)
    status = Progress.objects.get(goal=behind, day=day).status
    assert status in ("at_risk", "off_track")
    [told] = notices(world.rita, "goal_status")
    assert told.link == f"/goals/{behind.pk}/" and told.day == day
    assert "you are forecast" in told.body  # the sentence speaks to the goal's own rep
    assert notices(world.nina, "goal_status") == []  # on track: nothing to say
    goals_recompute(organization=world.acme, day=day + dt.timedelta(days=1))
    if Progress.objects.get(goal=behind, day=day + dt.timedelta(days=1)).status == status:
        assert len(notices(world.rita, "goal_status")) == 1  # not daily


def test_a_milestone_reached_and_one_missed_are_told_once(world) -> None:  # type: ignore[no-untyped-def]
    mine = goal(world, member=world.rita)
    early = Milestone.objects.create(goal=mine, day=D(2026, 2, 15), target=Decimal(1000))
    Milestone.objects.create(goal=mine, day=D(2026, 1, 31), target=Decimal(900))
    record(world, mine, D(2026, 1, 31), "on_track", actual="800")  # the day itself: wait
    assert notices(world.rita, "milestone") == []
    record(world, mine, D(2026, 2, 1), "on_track", actual="850")  # the day after: missed
    record(world, mine, D(2026, 2, 2), "on_track", actual="1000")  # the next one: reached
    record(world, mine, D(2026, 2, 3), "on_track", actual="1100")
    titles = sorted(n.title for n in notices(world.rita, "milestone"))
    assert titles == ["Milestone missed: Q1 revenue", "Milestone reached: Q1 revenue"]
    reached = next(n for n in notices(world.rita, "milestone") if "reached" in n.title)
    assert reached.day == D(2026, 2, 2) and "€1,000" in reached.body and "Feb 15" in reached.body
    early.delete()
    assert not Notification.objects.exclude(recipient=world.rita).exists()


def test_a_proposal_tells_the_manager_and_the_decision_tells_the_rep(world) -> None:  # type: ignore[no-untyped-def]
    proposal = goal_save(actor=world.rita, creating=True, goal=Goal(
        member=world.rita, metric="deals_won", target=Decimal(12), start=D(2026, 1, 1),
        end=D(2026, 3, 31), name="Twelve deals"))  # fmt: skip
    assert proposal.state == State.PROPOSED
    [asked] = notices(world.mark)
    assert asked.kind == "goal_review" and asked.title == "Rita proposes a goal: Twelve deals"
    assert asked.link == f"/goals/{proposal.pk}/"
    assert notices(world.rita) == [] and notices(world.sam) == [] and notices(world.alice) == []
    goal_reject(actor=world.mark, goal=proposal, note="Aim for fifteen.")
    [rejected] = notices(world.rita)
    assert rejected.title == "Goal rejected: Twelve deals" and "Aim for fifteen." in rejected.body
    proposal.refresh_from_db()
    proposal.target = Decimal(15)
    goal_save(actor=world.rita, goal=proposal, creating=False)  # revised the same day
    assert len(notices(world.mark)) == 1  # told once a day at most
    proposal.refresh_from_db()
    goal_approve(actor=world.mark, goal=proposal)
    titles = [n.title for n in notices(world.rita, "goal_review")]
    assert titles == ["Goal approved: Twelve deals", "Goal rejected: Twelve deals"]
    assert "Mark approved your proposal" in notices(world.rita)[0].body
    assert notices(world.sam) == [] and notices(world.nina) == []


def test_a_rep_without_a_manager_above_proposes_to_the_admins(world) -> None:  # type: ignore[no-untyped-def]
    world.teams["north"].manager = None
    world.teams["north"].save()
    world.teams["root"].manager = None
    world.teams["root"].save()
    goal_save(actor=world.rita, creating=True, goal=Goal(
        member=world.rita, metric="deals_won", target=Decimal(12), start=D(2026, 1, 1),
        end=D(2026, 3, 31), name="Twelve deals"))  # fmt: skip
    assert [n.title for n in notices(world.alice)] == ["Rita proposes a goal: Twelve deals"]
    assert notices(world.mark) == []
