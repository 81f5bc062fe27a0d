"""Reads for organisations, members and teams."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rumbo.tenancy.models import ApiToken, Member, Team


def member_for_user(user: Any, organization_id: int | None = None) -> Member | None:
    """The user's active Member row: in the organisation chosen in the session,
    else their first one (by organisation name). No query when the user came
    from `tenancy.auth.EmailBackend`, which read the rows with the user."""
    preloaded: list[Member] | None = getattr(user, "active_memberships", None)
    if preloaded is not None:
        # The session's value, compared as text like the query's filter would coerce it.
        wanted = str(organization_id) if organization_id else None
        chosen = [m for m in preloaded if str(m.organization_id) == wanted]
        return (chosen or preloaded)[0]
    qs = Member.objects.select_related("organization", "user", "team").filter(
        user=user, is_active=True
    )
    if organization_id:
        member = qs.filter(organization_id=organization_id).first()
        if member:
            return member
    return qs.order_by("organization__name", "pk").first()


def member_list(*, member: Member) -> QuerySet[Member]:
    return Member.objects.visible_to(member).select_related("team", "user")


def team_list(*, member: Member) -> QuerySet[Team]:
    return Team.objects.visible_to(member).select_related("parent", "manager")


def assignable_members(*, member: Member) -> QuerySet[Member]:
    """People `member` may make the owner of a record."""
    return Member.objects.visible_to(member).filter(is_active=True).order_by("name")


def token_list(*, member: Member) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(member=member)


def team_tree(*, member: Member) -> list[tuple[Team, int]]:
    """Visible teams in tree order with their depth, for indented lists."""
    teams = list(team_list(member=member))
    by_parent: dict[int | None, list[Team]] = {}
    ids = {t.pk for t in teams}
    for team in teams:
        parent = team.parent_id if team.parent_id in ids else None
        by_parent.setdefault(parent, []).append(team)
    out: list[tuple[Team, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in sorted(by_parent.get(parent, []), key=lambda t: t.name):
            out.append((team, depth))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return out
