"""THE access-scoping path. Every page, API operation, export and job reads
through `Model.objects.visible_to(member)` and asks `can_write` before a write.

Each tenant-owned model (every model with an `organization` foreign key)
declares who owns a row with a class attribute `scope_owner` — declared, never
defaulted: the system check `tenancy.E001` stops the project when a tenant
model leaves it out (tenancy/checks.py, ADR 0015), and these functions refuse
such a model rather than guess:

- a lookup path to a Member (``"owner"``, ``"customer__owner"``): owned records;
- ``CATALOGUE`` (None): readable organisation-wide, writable by admins;
- ``SELF`` (Member) and ``TEAM`` (Team): the people and the tree themselves;
- ``ADMIN_ONLY``: records only the organisation's admins handle (import jobs,
  aliases, saved column mappings, the audit log); nobody else reads or writes them.

A model whose rows are not simply owned by one person (a goal belongs to a rep,
a team or the organisation) also defines ``scope_rule(member) -> Q``, used for
non-admins instead of the owner path; writes stay with its services.

Rules: admin sees the organisation; a manager sees their teams, every team
below them, and their own records; a rep sees their own records. Rows of other
organisations are never returned, so their ids answer 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from rumbo.tenancy.tree import TeamTree

if TYPE_CHECKING:
    from rumbo.tenancy.models import Member

_M = TypeVar("_M", bound=models.Model)

# The declarations that are not a path to the owning Member.
CATALOGUE = None
SELF = "self"
TEAM = "team"
ADMIN_ONLY = "admin"


def declared_scope(model: type[models.Model]) -> str | None:
    """The model's `scope_owner`; a model that declares none is an error, not a
    catalogue (which would open it to the whole organisation)."""
    try:
        return model.scope_owner  # type: ignore[attr-defined,no-any-return]
    except AttributeError:
        raise ImproperlyConfigured(
            f"{model._meta.label} declares no scope_owner (tenancy/scoping.py)."
        ) from None


def visible_team_ids(member: Member) -> frozenset[int]:
    """Teams a manager sees: those they manage and all below. Cached per member
    object (one request), loaded in one query from the organisation's teams."""
    cached = getattr(member, "_visible_team_ids", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from rumbo.tenancy.models import Team

    rows = list(
        Team.objects.filter(organization_id=member.organization_id).values_list(
            "id", "parent_id", "manager_id"
        )
    )
    tree = TeamTree.of((team_id, parent_id) for team_id, parent_id, _m in rows)
    roots = [team_id for team_id, _p, manager_id in rows if manager_id == member.pk]
    if member.role != "rep" and member.team_id and not roots:
        # A manager without a managed team still sees their own team.
        roots = [member.team_id]
    result = frozenset(tree.below(*roots))
    member._visible_team_ids = result  # type: ignore[attr-defined]
    return result


def organisation_view(member: Member) -> Member:
    """A stand-in for the admins of the member's organisation (never saved,
    never a request's member), for the one figure a member reads beyond their
    own scope: a rep's ranking among peers (metrics/peers.py). That ranking is
    the admins' own of the rep's team (or organisation, where the admin allows
    it), and only names, scores and ranks leave it: no row opens a peer's
    record, which still answers 404 through `visible_to` above."""
    from rumbo.tenancy.models import Member, Role

    return Member(organization=member.organization, role=Role.ADMIN, name="")


def member_filter(member: Member, path: str) -> Q:
    """Rows whose owner (a Member reached by `path`) the member may see."""
    if member.role == "admin":
        return Q()
    if member.role == "manager":
        return Q(**{f"{path}__team_id__in": visible_team_ids(member)}) | Q(**{path: member.pk})
    return Q(**{path: member.pk})


def scope_filter(model: type[models.Model], member: Member) -> Q:
    owner = declared_scope(model)
    org = Q(organization_id=member.organization_id)
    if owner is None or member.role == "admin":
        return org
    rule = getattr(model, "scope_rule", None)
    if rule is not None:
        return org & rule(member)
    if owner == ADMIN_ONLY:
        return org & Q(pk__in=[])
    if owner == SELF:
        if member.role == "manager":
            return org & (Q(team_id__in=visible_team_ids(member)) | Q(pk=member.pk))
        return org & Q(pk=member.pk)
    if owner == TEAM:
        if member.role == "manager":
            return org & Q(pk__in=visible_team_ids(member))
        return org & Q(pk=member.team_id)
    return org & member_filter(member, owner)


class ScopedQuerySet(models.QuerySet[_M]):
    """QuerySet with the one scoping entry point."""

    def visible_to(self, member: Member) -> ScopedQuerySet[_M]:
        return self.filter(scope_filter(self.model, member))


def is_visible(member: Member, obj: models.Model) -> bool:
    """Whether `obj` is among `visible_to(member)`, for showing a related record's
    name. Members and teams are decided in Python (no query: team ids are cached
    per request); anything else asks its scoped manager."""
    if getattr(obj, "organization_id", None) != member.organization_id:
        return False
    owner = declared_scope(type(obj))
    if owner is None or member.role == "admin":
        return True
    if owner == ADMIN_ONLY:
        return False
    if owner == SELF:
        if obj.pk == member.pk:
            return True
        return member.role == "manager" and obj.team_id in visible_team_ids(member)  # type: ignore[attr-defined]
    if owner == TEAM:
        if member.role == "manager":
            return obj.pk in visible_team_ids(member)
        return obj.pk == member.team_id
    manager = type(obj)._default_manager
    return manager.visible_to(member).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


def is_admin_only(model: type[models.Model]) -> bool:
    """Records only admins handle: anybody else is refused by role (403), whatever the id."""
    return declared_scope(model) == ADMIN_ONLY


def is_catalogue(model: type[models.Model]) -> bool:
    return declared_scope(model) is CATALOGUE


def can_create(member: Member, model: type[models.Model]) -> bool:
    """Catalogues, members and teams are written by admins; owned records by
    anyone, for owners they may see (checked by `can_assign`)."""
    if member.role == "admin":
        return True
    return declared_scope(model) not in (CATALOGUE, SELF, TEAM, ADMIN_ONLY)


def can_write(member: Member, obj: models.Model) -> bool:
    """Whether `member` may change or delete `obj`. Presumes `obj` came through
    `visible_to(member)`; checks the organisation again all the same."""
    if getattr(obj, "organization_id", None) != member.organization_id:
        return False
    rule = getattr(type(obj), "write_rule", None)
    if rule is not None:
        return bool(rule(member, obj))
    return can_create(member, type(obj))


def can_assign(member: Member, owner: Any) -> bool:
    """Whether `member` may make `owner` (a Member) the owner of a record."""
    if owner is None:
        return member.role == "admin"
    if owner.organization_id != member.organization_id:
        return False
    if member.role == "admin" or owner.pk == member.pk:
        return True
    return member.role == "manager" and owner.team_id in visible_team_ids(member)
