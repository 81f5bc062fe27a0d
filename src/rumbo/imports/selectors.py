"""Reads for imports: jobs, mappings and aliases, through the scoping path
(admin-only records: an admin sees the organisation's, anybody else none)."""

from __future__ import annotations

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When

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
    return ImportJob.objects.visible_to(member).select_related("created_by")


def aliases_for(member: Member) -> QuerySet[Alias]:
    return Alias.objects.visible_to(member)


def mappings_for(member: Member) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.visible_to(member)


def aliases_listed(member: Member) -> QuerySet[Alias]:
    """Aliases with the name of the record each means (`target_name`: None when
    that record was deleted since), in one query: the alias pages list, sort
    and filter by it."""
    from rumbo.imports.resolve import RECORD_MODELS

    whens = [
        When(kind=kind, then=Subquery(
            model.objects.filter(pk=OuterRef("record_id"), organization_id=OuterRef(
                "organization_id")).values("name")[:1]))
        for kind, model in RECORD_MODELS.items()
    ]  # fmt: skip
    return aliases_for(member).annotate(
        target_name=Case(*whens, default=Value(None), output_field=CharField())
    )
