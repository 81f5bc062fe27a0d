"""Goals for the demo, set after the sales are in and the rollups built: each
team a quarterly revenue goal cascaded to its reps (weighted by what each sold
last quarter), each rep a deals-won goal with a mid-quarter milestone, the
organisation a yearly revenue goal, one rep's proposal waiting for approval,
and the independent seller's own goals. Targets stretch last quarter's figures
by a seeded random factor, so some goals are on track and some behind."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from rumbo.dashboards.figures import component_totals, metrics_of
from rumbo.goals.models import Goal
from rumbo.goals.services import goal_cascade, goal_save
from rumbo.metrics.evaluation import Scope, add_months, month_end
from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.models import Member, Organization, Role, Team


def rollups_rebuild(organization: Organization) -> None:
    """The demo's rollups, built once from the generated rows (goals and
    dashboards read them). Kept a single call: another branch adds the same step."""
    metrics_rebuild(organization=organization)


def _quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, month_end(add_months(first, 2))


def _round(value: Decimal, step: int) -> Decimal:
    return max(Decimal(step), (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step)


def _last_quarter(admin: Member, start: dt.date) -> dict[int | None, dict[str, Decimal]]:
    """Each rep's revenue and deals won in the quarter before `start`."""
    before = add_months(start, -3)
    return component_totals(actor=admin, metrics=metrics_of(["revenue", "deals_won"]),
                            scope=Scope(), start=before, end=start - dt.timedelta(days=1),
                            grouping="rep")  # fmt: skip


def _stretch(rng: random.Random) -> Decimal:
    return Decimal(str(round(rng.uniform(1.0, 1.35), 2)))


def demo_goals(*, organization: Organization, today: dt.date, seed: str,
               proposer_email: str | None = None) -> int:  # fmt: skip
    """Set the demo goals of one organisation; returns how many were created."""
    rng = random.Random(f"{seed}:goals")
    admin = Member.objects.filter(organization=organization, role=Role.ADMIN).order_by("pk")[0]
    start, end = _quarter(today)
    last = _last_quarter(admin, start)
    reps = list(Member.objects.filter(organization=organization, is_active=True)
                .exclude(role=Role.ADMIN).order_by("pk"))  # fmt: skip
    if organization.is_independent:
        reps = [admin]
    created = 0
    middle = start + (end - start) / 2
    for team in Team.objects.filter(organization=organization, parent__isnull=False):
        members = [m for m in reps if m.team_id == team.pk and m.role == Role.REP]
        # Weights in thousands of last quarter's revenue (a weight has 8 digits).
        weights = {
            m.pk: max(Decimal(1), (last.get(m.pk, {}).get("won_amount", Decimal(0)) / 1000)
                      .quantize(Decimal("0.01")))
            for m in members
        }  # fmt: skip
        if not weights:
            continue
        target = _round(sum(weights.values(), Decimal(0)) * 1000 * _stretch(rng), 1000)
        goal = _save(admin, Goal(team=team, metric="revenue", target=target, start=start,
                                 end=end, name=f"{team.name} revenue, this quarter"))  # fmt: skip
        created += 1 + len(goal_cascade(actor=admin, goal=goal, weights=weights))
    for rep in reps:
        if rep.role == Role.MANAGER:
            continue  # the demo's managers lead; they sell nothing to set a goal on
        if organization.is_independent:
            sold = last.get(rep.pk, {}).get("won_amount", Decimal(0))
            _save(admin, Goal(member=rep, metric="revenue", start=start, end=end,
                              target=_round(sold * _stretch(rng), 1000),
                              name="Revenue, this quarter"))  # fmt: skip
            _save(admin, Goal(member=rep, metric="csat", start=start, end=end,
                              target=Decimal(90), name="Happy customers (CSAT)"))  # fmt: skip
            created += 2
        won = last.get(rep.pk, {}).get("deals_won", Decimal(0))
        target = _round(won * _stretch(rng), 1)
        milestone = (middle, (target / 2).quantize(Decimal(1), ROUND_HALF_UP))
        _save(admin, Goal(member=rep, metric="deals_won", start=start, end=end,
                          target=target, name="Deals won, this quarter"), [milestone])  # fmt: skip
        created += 1
    if not organization.is_independent:
        year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        yearly = sum((t.get("won_amount", Decimal(0)) for t in last.values()), Decimal(0)) * 4
        _save(admin, Goal(metric="revenue", start=year_start, end=year_end,
                          target=_round(yearly * _stretch(rng), 10000),
                          name=f"{organization.name} revenue, {today.year}"))  # fmt: skip
        created += 1
    proposer = next((m for m in reps if m.email == proposer_email), None)
    if proposer is not None:
        goal_save(
            actor=proposer,
            creating=True,
            goal=Goal(
                member=proposer,
                metric="csat",
                start=start,
                end=end,
                target=Decimal(92),
                name="My customers' satisfaction",
                note="I want to raise my CSAT this quarter.",
            ),
        )
        created += 1
    return created


def _save(admin: Member, goal: Goal, milestones: list[tuple[dt.date, Decimal]] | None = None
          ) -> Goal:  # fmt: skip
    return goal_save(actor=admin, goal=goal, milestones=milestones, creating=True)
