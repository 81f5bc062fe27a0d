"""Who may read and write what, restated from the rules in the design
(architecture.md, "Access control: one path") rather than imported from
`tenancy/scoping.py`, so a mistake there shows up as a walk failure instead of
moving the expectation along with the code. Which rule holds for which model
comes from the tests' own table (expected.py), never from the models'
`scope_owner` declarations.

- Another organisation's records: never (their ids answer 404).
- Catalogues: everyone in the organisation reads, admins write.
- Owned records (a path to a Member X): the admin, X, and a
  manager whose visible teams include X's team read and write.
- Members (`"self"`) and teams (`"team"`): admins write; a manager reads the
  teams they manage and every team below (and the people in them); a rep reads
  themself and their own team.
- API tokens and notifications: only their holder (the recipient), whatever the role.
- Admin-only records (import jobs, aliases, saved column mappings): the
  organisation's admins; everybody else
  is refused by role (403) before any record is looked up, so the answer is
  the same for every id, existing or not, and reveals nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from rumbo.care.models import CalendarFeed
from rumbo.goals.models import Goal
from rumbo.tenancy.models import ApiToken, Member, Role, Team
from tests.access.expected import (
    ADMIN_ONLY,
    CATALOGUE,
    EXPECTED,
    GOAL,
    HOLDER,
    HOLDER_FIELD,
    PEERS,
    PEERS_FIELDS,
    SELF,
    TEAM,
    Owned,
    Rule,
)


class UnknownModel(Exception):
    """A model the rules say nothing about: the walk cannot judge it."""


def is_known(model: type[models.Model]) -> bool:
    return model._meta.label in EXPECTED


def rule(model: type[models.Model]) -> Owned | Rule:
    try:
        return EXPECTED[model._meta.label]
    except KeyError:
        raise UnknownModel(model._meta.label) from None


def is_admin_only(model: type[models.Model]) -> bool:
    return EXPECTED.get(model._meta.label) is ADMIN_ONLY


def refusal(member: Member | None, model: type[models.Model]) -> int:
    """The answer to a record `member` may not see: 404, or 403 when their role
    keeps them out of that kind of record altogether (whatever the id)."""
    if member is not None and is_admin_only(model) and member.role != Role.ADMIN:
        return 403
    return 404


def visible_teams(member: Member) -> set[int]:
    """A rep: their own team. A manager: the teams they manage (or, managing
    none, their own) and every team below. An admin: all of the organisation's."""
    teams = list(Team.objects.filter(organization_id=member.organization_id))
    if member.role == Role.ADMIN:
        return {t.pk for t in teams}
    if member.role == Role.REP:
        return {member.team_id} if member.team_id else set()
    todo = [t.pk for t in teams if t.manager_id == member.pk]
    if not todo and member.team_id:
        todo = [member.team_id]
    seen: set[int] = set()
    while todo:
        team_id = todo.pop()
        if team_id not in seen:
            seen.add(team_id)
            todo.extend(t.pk for t in teams if t.parent_id == team_id)
    return seen


def _org_id(obj: models.Model) -> int | None:
    if isinstance(obj, ApiToken | CalendarFeed):  # read through their member
        return obj.member.organization_id
    return getattr(obj, "organization_id", None)


def _owner(obj: models.Model, path: str) -> Member | None:
    value: Any = obj
    for step in path.split("__"):
        value = getattr(value, step, None)
        if value is None:
            return None
    return value  # type: ignore[no-any-return]


def _goal_read(member: Member, goal: Goal) -> bool:
    """A rep: own goals and their team's. A manager: the goals of everyone and
    every team they see, and the organisation's. (Admins: everything.)"""
    teams = visible_teams(member)
    if member.role == Role.REP:
        return goal.member_id == member.pk or (goal.team_id is not None
                                               and goal.team_id == member.team_id)  # fmt: skip
    if goal.member_id:
        return goal.member_id == member.pk or goal.member.team_id in teams  # type: ignore[union-attr]
    return goal.team_id is None or goal.team_id in teams


def _goal_write(member: Member, goal: Goal) -> bool:
    """Managers set the goals of the people and teams they see; a rep only
    revises their own proposal."""
    if member.role == Role.ADMIN:
        return True
    if member.role == Role.REP:
        return goal.member_id == member.pk and goal.state in ("proposed", "rejected")
    return goal.member_id is not None or goal.team_id is not None


def _peers_read(member: Member, obj: models.Model) -> bool:
    """A moment (badge, kudos): its person, its giver, a rep of the person's
    own team, a manager whose teams include it. (Admins: everything.)"""
    person_field, giver_field = PEERS_FIELDS[obj._meta.label]
    person: Member = getattr(obj, person_field)
    if member.pk in (person.pk, getattr(obj, f"{giver_field}_id", None) if giver_field else None):
        return True
    if member.role == Role.REP:
        return member.team_id is not None and person.team_id == member.team_id
    return person.team_id in visible_teams(member)


def may_read(member: Member, obj: models.Model) -> bool:
    model = type(obj)
    how = rule(model)
    if _org_id(obj) != member.organization_id:
        return False
    if how is HOLDER:
        return getattr(obj, f"{HOLDER_FIELD[model._meta.label]}_id") == member.pk
    if how is ADMIN_ONLY:
        return member.role == Role.ADMIN
    if how is GOAL and member.role != Role.ADMIN:
        return _goal_read(member, obj)  # type: ignore[arg-type]
    if how is PEERS and member.role != Role.ADMIN:
        return _peers_read(member, obj)
    if how is CATALOGUE or member.role == Role.ADMIN:
        return True
    if how is TEAM:
        return obj.pk in visible_teams(member)
    if how is SELF:
        owner: Member | None = obj  # type: ignore[assignment]
    elif isinstance(how, Owned):
        owner = _owner(obj, how.path)
    else:
        owner = _owner(obj, "member")  # GOAL (admins only reach here)
    if owner is None:
        return False
    if owner.pk == member.pk:
        return True
    return member.role == Role.MANAGER and owner.team_id in visible_teams(member)


def reason(member: Member, obj: models.Model) -> str:
    """Which rule lets `member` read `obj` ("" when none does): the walk opens
    one allowed record per rule and page, and refuses every record it should."""
    if not may_read(member, obj):
        return ""
    how = rule(type(obj))
    if how is ADMIN_ONLY:
        return "admin"
    if isinstance(obj, Goal) and member.role != Role.ADMIN:
        if obj.member_id:
            return "own goal" if obj.member_id == member.pk else "team member's goal"
        return "team goal" if obj.team_id else "organisation goal"
    if how is CATALOGUE:
        return "catalogue"
    if member.role == Role.ADMIN and how is not HOLDER:
        return "admin"
    if how is TEAM:
        return "own team" if obj.pk == member.team_id else "team below"
    if how is HOLDER:
        return "own"
    if how is PEERS:
        person = getattr(obj, PEERS_FIELDS[obj._meta.label][0])
        return "own" if person.pk == member.pk else "peer"
    owner = obj if how is SELF else _owner(obj, how.path if isinstance(how, Owned) else "member")
    return "own" if getattr(owner, "pk", None) == member.pk else "team"


def may_create(member: Member, model: type[models.Model]) -> bool:
    how = rule(model)
    if how is HOLDER or member.role == Role.ADMIN:
        return True
    return how not in (ADMIN_ONLY, CATALOGUE, SELF, TEAM)


def may_write(member: Member, obj: models.Model) -> bool:
    if not may_read(member, obj):
        return False
    if isinstance(obj, Goal):
        return _goal_write(member, obj)
    return may_create(member, type(obj))


def ranked(member: Member | None, obj: models.Model) -> bool:
    """Whether a ranking (expected.RANKINGS) may name `obj`, a person or a team,
    to `member`: anyone they may read, and for a rep the people and teams of
    their own team and every team below it."""
    if member is None or _org_id(obj) != member.organization_id:
        return False
    if may_read(member, obj):
        return True
    if member.role != Role.REP or not member.team_id:
        return False
    teams = list(Team.objects.filter(organization_id=member.organization_id))
    below, todo = set(), [member.team_id]
    while todo:
        team_id = todo.pop()
        if team_id not in below:
            below.add(team_id)
            todo.extend(t.pk for t in teams if t.parent_id == team_id)
    if isinstance(obj, Member):
        return obj.team_id in below
    return isinstance(obj, Team) and obj.pk in below


def access(member: Member | None, obj: models.Model) -> str:
    """What `member` may do with `obj`: "write", "read" or "none"."""
    if member is None or not may_read(member, obj):
        return "none"
    return "write" if may_write(member, obj) else "read"
