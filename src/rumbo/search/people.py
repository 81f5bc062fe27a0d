"""People (members) as a kind of search result. Registered here rather than
by tenancy: tenancy sits below every app and imports none of them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rumbo.search.registry import Kind, hint, register


def describe(member: Any) -> str:
    """Team and role tell two people of the same name apart; the email too."""
    return hint(member.team.name if member.team_id else "", member.get_role_display(),
                member.email)  # fmt: skip


def register_people() -> None:
    from rumbo.tenancy.models import Member

    register(Kind(
        key="people", label=_("People"), model=Member,
        fields=("name", "email", "external_id"), describe=describe, pages="tenancy:member",
        order=("name", "pk"), related=("team",), position=40,
    ))  # fmt: skip
