"""The personas world with goals running today, rollups built: what the
dashboards read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rumbo.goals.models import Goal
from rumbo.goals.progress import goals_recompute
from rumbo.goals.services import goal_cascade, goal_save
from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.models import Member, Role, Team, User
from tests import factories as f
from tests.personas import PASSWORD, World


def quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    nxt = dt.date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def goal(world: World, actor: str, **fields: Any) -> Goal:
    start, end = quarter(timezone.localdate())
    values = {"metric": "revenue", "target": Decimal(10000), "start": start, "end": end, **fields}
    milestones = values.pop("milestones", None)
    return goal_save(actor=world.members[actor], goal=Goal(**values), milestones=milestones,
                     creating=True)  # fmt: skip


def won(member: Member, day: dt.date, amount: str = "500.00", **extra: Any) -> Any:
    return f.DealFactory(organization=member.organization, owner=member, outcome="won",
                         stage="closed", amount=Decimal(amount), amount_base=Decimal(amount),
                         created_on=day - dt.timedelta(days=5), closed_on=day, **extra)  # fmt: skip


@pytest.fixture
def dash(world: World) -> World:
    """Rita sells every few days of the quarter and has a revenue goal with a
    milestone, a deals-won goal and a pending proposal; North has a team goal
    cascaded to Rita and Nina; Acme has an organisation goal."""
    today = timezone.localdate()
    start, end = quarter(today)
    day = start
    while day < today:
        won(world.rita, day, customer=world.records["rita"].customer)
        day += dt.timedelta(days=9)
    metrics_rebuild(organization=world.acme)
    middle = start + (end - start) / 2
    world.goals = {  # type: ignore[attr-defined]
        "revenue": goal(world, "mark", member=world.rita, name="Rita revenue",
                        target=Decimal(20000), milestones=[(middle, Decimal(9000))]),
        "deals": goal(world, "mark", member=world.rita, name="Rita deals", metric="deals_won",
                      target=Decimal(12)),
        "team": goal(world, "mark", team=world.teams["north"], name="North revenue",
                     target=Decimal(40000)),
        "org": goal(world, "alice", name="Acme revenue", target=Decimal(100000)),
        "proposal": goal(world, "rita", member=world.rita, name="Rita stretch",
                         target=Decimal(30000)),
    }  # fmt: skip
    goal_cascade(actor=world.mark, goal=world.goals["team"],  # type: ignore[attr-defined]
                 weights={world.rita.pk: Decimal(1), world.nina.pk: Decimal(1)})  # fmt: skip
    goals_recompute(organization=world.acme)
    return world


def more_data(world: World) -> None:
    """20 more goals and 200 more deals (and complaints) across Acme's reps."""
    today = timezone.localdate()
    start, _end = quarter(today)
    reps = [world.rita, world.nina, world.sofia, world.mark]
    for n in range(200):
        rep = reps[n % len(reps)]
        won(rep, start + dt.timedelta(days=n % max(1, (today - start).days)), "100.00",
            customer=world.records[rep.name.lower()].customer)  # fmt: skip
    for n in range(20):
        rep = reps[n % len(reps)]
        goal(world, "alice", member=rep, name=f"Extra {n}", target=Decimal(1000 + n),
             metric="revenue" if n % 2 else "win_rate")  # fmt: skip
        f.ComplaintFactory(organization=world.acme, rep=rep,
                           customer=world.records[rep.name.lower()].customer)  # fmt: skip
    metrics_rebuild(organization=world.acme)
    goals_recompute(organization=world.acme)


@pytest.fixture
def solo(db: Any) -> Member:
    """An independent seller: an organisation of one."""
    org = f.OrganizationFactory(slug="solo", name="Solo", currency="EUR", is_independent=True)
    team = Team.objects.create(organization=org, name="Solo")
    user = User.objects.create_user("ana@solo.test", PASSWORD, first_name="Ana")
    ana = Member.objects.create(organization=org, user=user, name="Ana", email=user.email,
                                role=Role.ADMIN, team=team)  # fmt: skip
    customer = f.CustomerFactory(organization=org, owner=ana)
    won(ana, timezone.localdate() - dt.timedelta(days=3), "800.00", customer=customer)
    metrics_rebuild(organization=org)
    start, end = quarter(timezone.localdate())
    goal_save(actor=ana, goal=Goal(metric="revenue", target=Decimal(5000), start=start, end=end,
                                   member=ana, name="Ana revenue"), creating=True)  # fmt: skip
    goals_recompute(organization=org)
    return ana
