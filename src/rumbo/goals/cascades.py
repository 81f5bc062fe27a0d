"""A team goal's cascade, read before anything is written: who the form
starts with (the split as it stands, or the people who carry a quota), and
the plan of a split — each person's target and milestones, the shares left as
they are, what is left to assign — checked as the write checks it. The
preview shows a plan; `services.goal_cascade` writes the same plan and
refuses when it is no longer the one previewed (its `digest` changed).

Who "carries a quota": a rep, or anybody else (a manager who sells) holding a
goal of their own, other than a share of this one, during the goal's dates. A
manager who only leads is not ticked unless chosen."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rumbo.goals.models import Goal, State
from rumbo.metrics.evaluation import team_subtree
from rumbo.tenancy.models import Member, Role

CENT = Decimal("0.01")
# A weight is stored with 8 digits, 2 after the point (Goal.weight).
MAX_WEIGHT = Decimal("999999.99")
Weights = Mapping[int, Decimal]


def split(amount: Decimal, weights: Weights, cumulative: bool) -> dict[int, Decimal]:
    """Each member's part of `amount`: a running total splits by weight into
    cents that add up to it exactly (rounding each part on its own could give
    a cent more than there is); a rate is the same figure for everyone."""
    if not cumulative:
        return dict.fromkeys(weights, amount)
    total = sum(weights.values(), Decimal(0))
    if not total:
        return dict.fromkeys(weights, Decimal(0))
    exact = {m: amount * w / total for m, w in weights.items()}
    parts = {m: v.quantize(CENT, rounding=ROUND_DOWN) for m, v in exact.items()}
    # The cents rounding down left over go, one each, to the largest remainders.
    left = int((amount - sum(parts.values(), Decimal(0))) / CENT)
    for m in sorted(exact, key=lambda m: (parts[m] - exact[m], m))[: max(left, 0)]:
        parts[m] += CENT
    return parts


@dataclass(frozen=True)
class Candidate:
    """One line of the cascade form: ticked or not, the weight to show, the
    target the person holds now (None: no share yet), whether they carry a quota."""

    member: Member
    chosen: bool
    weight: Decimal
    current: Decimal | None
    quota: bool


def _people(goal: Goal, actor: Member) -> list[Member]:
    teams = team_subtree(goal.organization_id, goal.team_id)  # type: ignore[arg-type]
    return list(Member.objects.visible_to(actor).filter(team_id__in=teams, is_active=True))


def _quota_holders(goal: Goal, people: list[Member]) -> set[int]:
    """Reps, and the others with a goal of their own over the goal's dates."""
    others = [m.pk for m in people if m.role != Role.REP]
    own = set(
        Goal.objects.filter(organization_id=goal.organization_id, member_id__in=others,
                            state=State.ACTIVE, start__lte=goal.end, end__gte=goal.start)
        .exclude(parent=goal).values_list("member_id", flat=True)
    ) if others else set()  # fmt: skip
    return {m.pk for m in people if m.role == Role.REP or m.pk in own}


def cascade_candidates(goal: Goal, actor: Member) -> list[Candidate]:
    """The form's lines, as the split stands: the people holding a share are
    ticked with their weights; with no share given yet, everyone carrying a
    quota is ticked with weight 1 (an even split). Three queries."""
    people = _people(goal, actor)
    given = {g.member_id: g for g in Goal.objects.filter(parent=goal)}
    quota = _quota_holders(goal, people)
    lines = []
    for person in people:
        share = given.get(person.pk)
        chosen = share is not None if given else person.pk in quota
        lines.append(Candidate(person, chosen, share.weight if share else Decimal(1),
                               share.target if share else None, person.pk in quota))  # fmt: skip
    return lines


@dataclass(frozen=True)
class Line:
    """One person's share in a plan: weight, part of the whole (0–1), target
    and milestones, and the target they hold now (None: a new share)."""

    member: Member
    weight: Decimal
    part: Decimal
    target: Decimal
    milestones: tuple[tuple[date, Decimal], ...]
    current: Decimal | None


@dataclass(frozen=True)
class Plan:
    goal: Goal
    lines: list[Line]
    kept: list[Goal]  # shares of people left out: they stay as they are
    assigned: Decimal  # every share's target once written (running totals)
    unassigned: Decimal | None  # None for a rate
    digest: str  # what the plan is made of: the write refuses another one


def check_weights(weights: Weights) -> None:
    """Somebody chosen, every weight a number above zero that a goal can hold."""
    if not weights:
        raise ValidationError({"members": _("Choose at least one member.")})
    for weight in weights.values():
        if not weight.is_finite() or weight <= 0:
            raise ValidationError({"weights": _("Enter weights above zero.")})
        if weight > MAX_WEIGHT or weight != weight.quantize(CENT):
            raise ValidationError({"weights": _(
                "Enter weights of at most 999999.99, with two decimals at most.")})  # fmt: skip


def cascade_plan(actor: Member, goal: Goal, weights: Weights) -> Plan:
    """The split `weights` would write on `goal` (as stored), refused with a
    ValidationError as the write would refuse it. Writes nothing."""
    check_weights(weights)
    if not goal.team_id or goal.state != State.ACTIVE:
        raise ValidationError(_("Only an active team goal cascades to members."))
    teams = team_subtree(actor.organization_id, goal.team_id)
    members = {m.pk: m for m in Member.objects.visible_to(actor).filter(pk__in=list(weights))}
    if any(pk not in members or members[pk].team_id not in teams for pk in weights):
        raise ValidationError({"members": _("Choose members of the goal's team.")})
    cumulative = goal.definition.cumulative
    targets = split(goal.target, weights, cumulative)
    stones = [(m.day, split(m.target, weights, cumulative)) for m in goal.milestones.all()]
    given = {
        g.member_id: g
        for g in Goal.objects.filter(parent=goal).select_related("member").order_by("pk")
    }
    seen = set(Goal.objects.visible_to(actor).filter(parent=goal).values_list("pk", flat=True))
    total = sum(weights.values(), Decimal(0))
    lines = sorted((
        Line(members[pk], weights[pk], weights[pk] / total, targets[pk],
             tuple((day, parts[pk]) for day, parts in stones),
             given[pk].target if pk in given else None)
        for pk in weights), key=lambda line: (line.member.name, line.member.pk))  # fmt: skip
    left_out = [g for pk, g in given.items() if pk not in weights]
    assigned = sum(targets.values(), Decimal(0)) + sum((g.target for g in left_out), Decimal(0))
    # Everything assigned counts; a share the actor may not see is not named.
    kept = [g for g in left_out if g.pk in seen]
    return Plan(goal, lines, kept, assigned, goal.target - assigned if cumulative else None,
                _digest(goal, lines, list(given.values())))  # fmt: skip


def _digest(goal: Goal, lines: list[Line], given: list[Goal]) -> str:
    """The plan's fingerprint: the goal as it was read, the split, and every
    share as it stood (another cascade in between changes it)."""
    parts: list[object] = [goal.pk, goal.metric, goal.start, goal.end, goal.target, goal.version]
    parts += [(line.member.pk, line.weight.quantize(CENT), line.target, line.milestones)
              for line in lines]  # fmt: skip
    parts += [(g.pk, g.member_id, g.target, g.weight) for g in given]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
