"""Writes of goals: create and change (with milestones), a rep's proposal and
its approval or rejection, a team goal's cascade to its members, delete.

Who may do what: an admin sets any goal; a manager sets goals for the people
and teams below them (and their own); a rep proposes their own goals, which
wait for their manager's approval (an independent seller, the admin of an
organisation of one, sets theirs directly). Each write records the goal's
timeline at once, so a new goal opens with its history filled in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.goals.cascades import Plan, Weights, cascade_plan
from rumbo.goals.models import Goal, Milestone, Progress, State
from rumbo.goals.progress import goal_history_fill, goals_recompute, local_today
from rumbo.goals.signals import goal_state_changed
from rumbo.tenancy import scoping, versions
from rumbo.tenancy.models import Member, Role, Team
from rumbo.tenancy.services import audit, figures_changed

MilestoneInput = tuple[date, Decimal]
# What changes a goal's timeline: its history is recorded again after a change.
DEFINITION = ("metric", "member_id", "team_id", "target", "start", "end")


def can_set(actor: Member, goal: Goal) -> bool:
    """Whether `actor` may set (create, change, delete) this goal as active."""
    if goal.organization_id != actor.organization_id:
        return False
    if actor.is_admin:
        return True
    if actor.is_manager:
        if goal.member_id:
            return goal.member is not None and scoping.can_assign(actor, goal.member)
        return goal.team_id is not None and goal.team_id in scoping.visible_team_ids(actor)
    return False


def sets_own_goals_only(actor: Member) -> bool:
    """A rep's goals are their own; so are an independent seller's (an
    organisation of one holds every role, but a goal of "the organisation" or
    "the team" would be hers in all but name, and missing from her home page)."""
    return actor.role == Role.REP or actor.organization.is_independent


def default_owner(actor: Member) -> dict[str, int | None]:
    """Whose a new goal is unless the actor says otherwise: their own (a rep,
    an independent seller), their team's (a manager), the organisation's (an
    admin: neither)."""
    if sets_own_goals_only(actor):
        return {"member": actor.pk, "team": None}
    if actor.is_manager and actor.team_id:
        return {"member": None, "team": actor.team_id}
    return {"member": None, "team": None}


def can_propose(actor: Member, goal: Goal) -> bool:
    """A rep's own goal, while it is a proposal (or a rejected one, to revise)."""
    return (goal.organization_id == actor.organization_id and goal.member_id == actor.pk
            and goal.state in (State.PROPOSED, State.REJECTED))  # fmt: skip


def can_decide(actor: Member, goal: Goal) -> bool:
    """Approving a proposal is for whoever sets goals for its rep, not the rep."""
    return goal.state == State.PROPOSED and goal.member_id != actor.pk and can_set(actor, goal)


def _check_owner(actor: Member, goal: Goal) -> None:
    """The rep or team named must be one the actor sees (another organisation's
    id is a field error, as for every record)."""
    if goal.member_id and not Member.objects.visible_to(actor).filter(pk=goal.member_id).exists():
        raise ValidationError({"member": _("Choose a valid member.")})
    if goal.team_id and not Team.objects.visible_to(actor).filter(pk=goal.team_id).exists():
        raise ValidationError({"team": _("Choose a valid team.")})


def _check_milestones(goal: Goal, milestones: Sequence[MilestoneInput]) -> None:
    days = [day for day, _target in milestones]
    if len(set(days)) != len(days):
        raise ValidationError({"milestones": _("Two milestones fall on the same day.")})
    for day, target in milestones:
        if not goal.start <= day <= goal.end:
            raise ValidationError({"milestones": _(
                "Milestone %(day)s falls outside the goal's dates.") % {"day": day}})  # fmt: skip
        if target < 0:
            raise ValidationError({"milestones": _("Enter milestone targets of zero or more.")})


def _stored_goal(actor: Member, goal: Goal) -> Goal:
    """The goal as stored, locked until the transaction ends, once the actor is
    shown to hold it as it is (set it, or revise their own proposal): the
    instance passed in may already carry the new owner (ADR 0010)."""
    stored = versions.lock_stored(Goal, goal.pk)
    if stored is None or stored.organization_id != actor.organization_id:
        raise Http404
    if not (can_set(actor, stored) or can_propose(actor, stored)):
        raise PermissionDenied
    return stored  # type: ignore[no-any-return]


def goal_save(*, actor: Member, goal: Goal, milestones: Sequence[MilestoneInput] | None = None,
              creating: bool, record: bool = True) -> Goal:  # fmt: skip
    """Create or change a goal (and replace its milestones when given). A rep's
    own goal becomes a proposal; anything else the actor may set is active.
    A change is judged on the goal as stored and as it would become; a stale
    `goal.version` (the one the editor read; None: not checked) raises
    `StaleVersion`. Raises PermissionDenied or ValidationError; writes nothing
    then. With `record=False` the caller records the timelines itself (a
    cascade, in one batch)."""
    goal.organization_id = actor.organization_id
    if creating and not goal.member_id and not goal.team_id and sets_own_goals_only(actor):
        goal.member = actor  # a goal named without an owner is the seller's own
    with transaction.atomic():
        before = None
        if not creating:
            stored = _stored_goal(actor, goal)
            versions.check_version(stored, goal.version)
            before = {f: getattr(stored, f) for f in DEFINITION}
            # The approval state moves only by proposing, approving and rejecting.
            goal.state, goal.version = stored.state, stored.version + 1
        _check_owner(actor, goal)
        if can_set(actor, goal):
            if creating:
                goal.state = State.ACTIVE
        elif goal.member_id == actor.pk and not goal.team_id and (
                creating or goal.state in (State.PROPOSED, State.REJECTED)):  # fmt: skip
            goal.state = State.PROPOSED
        else:
            raise PermissionDenied
        if creating:
            goal.created_by = actor
        goal.full_clean()
        if milestones is not None:
            _check_milestones(goal, milestones)
        goal.save()
        if milestones is not None:
            goal.milestones.all().delete()
            Milestone.objects.bulk_create(Milestone(goal=goal, day=d, target=t)
                                          for d, t in milestones)  # fmt: skip
        changed = before is None or milestones is not None or any(
            before[f] != getattr(goal, f) for f in DEFINITION)  # fmt: skip
        if changed:
            Progress.objects.filter(goal=goal).delete()
        audit(actor=actor, action="create" if creating else "update", obj=goal)
        figures_changed(organization_id=goal.organization_id)
        if goal.state == State.PROPOSED:
            goal_state_changed.send(sender=Goal, actor=actor, goal=goal)
    if changed and goal.state == State.ACTIVE and record:
        record_timeline(goal)
    return goal


def record_timeline(goal: Goal, *also: Goal) -> None:
    """The goals' history up to yesterday, and today's rows with their forecast
    (several goals of one period, e.g. a cascade's shares, in one batch)."""
    today = local_today(goal.organization)
    for one in (goal, *also):
        goal_history_fill(goal=one, through=today)
    if goal.start <= today:
        day = min(today, goal.end)  # a goal that has ended gets its final row
        ids = [one.pk for one in (goal, *also)]
        goals_recompute(organization=goal.organization, day=day, goal_ids=ids)


def _check_decision(actor: Member, goal: Goal) -> None:
    """Only a proposal waits for a decision, and never its own rep's. Whoever
    may not change the goal at all is refused before anything is said about it.
    A goal someone else decided first is a conflict (409), not a bad request."""
    if not (can_set(actor, goal) or can_propose(actor, goal)):
        raise PermissionDenied
    if goal.member_id == actor.pk:
        raise ValidationError(_("You cannot decide on your own goal."))
    if goal.state != State.PROPOSED:
        if goal.decided_by_id and goal.decided_by_id != actor.pk:
            raise versions.Conflict(_(
                "%(who)s has already decided on this goal (%(state)s); nothing was changed.")
                % {"who": goal.decided_by.name, "state": goal.get_state_display()})  # type: ignore[union-attr]  # fmt: skip
        raise versions.Conflict(_("This goal is not waiting for approval."))


def _decide(actor: Member, goal: Goal) -> Goal:
    """The proposal as stored, locked, once the actor may decide on it: of two
    managers deciding at once, the second finds it decided (one transition)."""
    stored = versions.lock_stored(Goal, goal.pk)
    if stored is None or stored.organization_id != actor.organization_id:
        raise Http404
    _check_decision(actor, stored)
    return stored  # type: ignore[no-any-return]


def goal_approve(*, actor: Member, goal: Goal) -> Goal:
    """A manager accepts a rep's proposal: the goal becomes active."""
    with transaction.atomic():
        goal = _decide(actor, goal)
        goal.state, goal.decided_by, goal.decided_at = State.ACTIVE, actor, timezone.now()
        goal.version += 1
        goal.full_clean()  # a proposal saved before today's limits is checked again
        goal.save(update_fields=["state", "decided_by", "decided_at", "version"])
        audit(actor=actor, action="approve", obj=goal)
        figures_changed(organization_id=goal.organization_id)
        goal_state_changed.send(sender=Goal, actor=actor, goal=goal)
    record_timeline(goal)
    return goal


def goal_reject(*, actor: Member, goal: Goal, note: str) -> Goal:
    """A manager turns a proposal down, saying why; the rep may revise it."""
    with transaction.atomic():
        goal = _decide(actor, goal)
        if not note.strip():
            raise ValidationError({"note": _("Say why the proposal is rejected.")})
        try:  # the field's own checks (no NUL or control characters: web/text.py)
            Goal._meta.get_field("note").run_validators(note.strip()[:500])
        except ValidationError as exc:
            raise ValidationError({"note": exc.messages}) from None
        goal.state, goal.note = State.REJECTED, note.strip()[:500]
        goal.decided_by, goal.decided_at = actor, timezone.now()
        goal.version += 1
        goal.save(update_fields=["state", "note", "decided_by", "decided_at", "version"])
        audit(actor=actor, action="reject", obj=goal, changes={"note": goal.note})
        figures_changed(organization_id=goal.organization_id)
        goal_state_changed.send(sender=Goal, actor=actor, goal=goal)
    return goal


def goal_delete(*, actor: Member, goal: Goal) -> None:
    """Delete a goal the actor holds as it is stored (not as `goal` may say)."""
    with transaction.atomic():
        stored = _stored_goal(actor, goal)
        versions.check_version(stored, goal.version)
        audit(actor=actor, action="delete", obj=stored)
        Progress.objects.filter(goal=stored).delete()
        stored.delete()
        figures_changed(organization_id=actor.organization_id)


def goal_cascade_preview(*, actor: Member, goal: Goal, weights: Weights) -> Plan:
    """The split a cascade with `weights` would write, refused as the write
    would refuse it (PermissionDenied, ValidationError). Writes nothing."""
    stored = Goal.objects.filter(pk=goal.pk, organization_id=actor.organization_id).first()
    if stored is None:
        raise Http404
    if not (can_set(actor, stored) or can_propose(actor, stored)):
        raise PermissionDenied
    return cascade_plan(actor, stored, weights)


def goal_cascade(*, actor: Member, goal: Goal, weights: Weights,
                 expect: str | None = None) -> list[Goal]:  # fmt: skip
    """Give each named member of a team goal's team (or a team below it) their
    share of the target and of each milestone, equal weights for an even split
    (the plan: goals.cascades). Shares already given are updated, not
    duplicated; members left out keep what they have. `expect`: the digest of
    the plan the user previewed — if the goal or its shares changed since, the
    cascade is refused (Conflict) and nothing is written; empty, a page that
    was not previewed is refused (None: the API, which has no preview). One transition under
    the team goal's row lock: a second cascade at the same time waits, then
    finds the shares and updates them (the target is never assigned twice)."""
    children = []
    with transaction.atomic():
        goal = _stored_goal(actor, goal)
        if expect == "":
            raise ValidationError(_("Preview the split before you confirm it."))
        plan = cascade_plan(actor, goal, weights)
        if expect is not None and expect != plan.digest:
            raise versions.Conflict(_(
                "The goal or its shares changed since you previewed the split; nothing "
                "was changed. Preview it again."))  # fmt: skip
        existing = {g.member_id: g for g in goal.shares.all()}
        for line in plan.lines:
            pk = line.member.pk
            child = existing.get(pk) or Goal(parent=goal, member=line.member)
            child.metric, child.start, child.end = goal.metric, goal.start, goal.end
            child.target, child.weight, child.name = line.target, line.weight, goal.name
            children.append(goal_save(actor=actor, goal=child, milestones=line.milestones,
                                      creating=pk not in existing, record=False))  # fmt: skip
        audit(actor=actor, action="cascade", obj=goal,
              changes={"members": {str(line.member.pk): str(line.target)
                                   for line in plan.lines}})  # fmt: skip
    if children:
        record_timeline(*children)
    return children
