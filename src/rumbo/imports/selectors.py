"""Reads for imports: jobs, mappings and aliases of the member's organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from rumbo.imports.models import Alias, ColumnMapping, ImportJob
from rumbo.tenancy.models import Member, Role


def org_admin(slug: str) -> Member | None:
    """The member the command line acts as: the organisation's first active admin."""
    return (
        Member.objects.select_related("organization")
        .filter(organization__slug=slug, role=Role.ADMIN, is_active=True)
        .order_by("id")
        .first()
    )


def jobs_for(member: Member) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organization_id=member.organization_id).select_related(
        "created_by"
    )


def aliases_for(member: Member) -> QuerySet[Alias]:
    return Alias.objects.filter(organization_id=member.organization_id)


def mappings_for(member: Member) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(organization_id=member.organization_id)
