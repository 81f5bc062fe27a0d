"""Who hears about what: the owner of a goal, the manager who decides on a
proposal or is told of an escalated complaint, the admins when nobody else
is in charge. Only active members; never the person whose action it was."""

from __future__ import annotations

from collections.abc import Iterable

from rumbo.tenancy.models import Member, Role, Team

RELATED = ("organization", "user")


def admins(organization_id: int) -> list[Member]:
    """The organisation's active admins (the director; the independent seller)."""
    return list(Member.objects.filter(organization_id=organization_id, role=Role.ADMIN,
                                      is_active=True).select_related(*RELATED))  # fmt: skip


def manager_above(member: Member) -> Member | None:
    """The nearest manager up the member's team tree who is not the member:
    their team's manager, else the parent team's, and so on (None at the top)."""
    if member.team_id is None:
        return None
    teams = dict(
        (pk, (parent, manager))
        for pk, parent, manager in Team.objects.filter(
            organization_id=member.organization_id
        ).values_list("id", "parent_id", "manager_id")
    )
    seen: set[int] = set()
    team_id: int | None = member.team_id
    while team_id is not None and team_id not in seen:  # a cycle in old data ends the walk
        seen.add(team_id)
        parent, manager_id = teams.get(team_id, (None, None))
        if manager_id is not None and manager_id != member.pk:
            found = Member.objects.filter(pk=manager_id, is_active=True)
            return found.select_related(*RELATED).first()
        team_id = parent
    return None


def in_charge_of(member: Member) -> list[Member]:
    """Who answers for a member: their manager, else the admins (not the member)."""
    manager = manager_above(member)
    if manager is not None:
        return [manager]
    return [m for m in admins(member.organization_id) if m.pk != member.pk]


def without(people: Iterable[Member | None], *left_out: Member | None) -> list[Member]:
    """Active people, each once, in order, leaving out `left_out` (the actor)."""
    skip = {m.pk for m in left_out if m is not None}
    found: list[Member] = []
    for person in people:
        if person is None or not person.is_active or person.pk in skip:
            continue
        skip.add(person.pk)
        found.append(person)
    return found
