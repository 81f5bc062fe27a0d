"""API schemas for the current member, members, teams and tokens."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, FilterLookup, FilterSchema, Schema

from rumbo.tenancy import scoping
from rumbo.tenancy.models import Member, Role, Team
from rumbo.web.ids import Id

Search = Annotated[str | None, FilterLookup(["name__icontains", "email__icontains"])]


class MemberRef(Schema):
    """A person named on a record."""

    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str


class MemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254, description="Needed to invite them to log in.")
    role: Role = Role.REP
    team_id: Id | None = None
    external_id: str = Field("", max_length=100)
    is_active: bool = True


class MemberOut(MemberIn):
    id: int
    team: TeamRef | None
    has_login: bool
    created_at: datetime


class MemberFilters(FilterSchema):
    q: Search = None
    role: Role | None = None
    team_id: Id | None = None
    is_active: bool | None = None


class TeamIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = None
    manager_id: Id | None = None
    external_id: str = Field("", max_length=100)


class TeamOut(TeamIn):
    """A team; its parent and manager are named only to those who may see them."""

    id: int
    parent: TeamRef | None
    manager: MemberRef | None

    @staticmethod
    def resolve_parent(obj: Team, context: dict[str, Any]) -> Team | None:
        return _if_visible(obj.parent, context)

    @staticmethod
    def resolve_manager(obj: Team, context: dict[str, Any]) -> Member | None:
        return _if_visible(obj.manager, context)

    @staticmethod
    def resolve_parent_id(obj: Team, context: dict[str, Any]) -> int | None:
        parent = _if_visible(obj.parent, context)
        return parent.pk if parent else None

    @staticmethod
    def resolve_manager_id(obj: Team, context: dict[str, Any]) -> int | None:
        manager = _if_visible(obj.manager, context)
        return manager.pk if manager else None


def _if_visible(related: Any, context: dict[str, Any]) -> Any:
    reader = getattr(context["request"], "auth", None)
    if related is None or reader is None or not scoping.is_visible(reader, related):
        return None
    return related


class TeamFilters(FilterSchema):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    parent_id: Id | None = None
    manager_id: Id | None = None


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    currency: str
    language: str
    time_zone: str
    is_independent: bool


class MeOut(Schema):
    """Who the caller is: their member row, organisation, role and language."""

    member: MemberOut
    organization: OrganizationOut
    role: Role
    language: str = Field(description="The language answers are given in.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. It is shown this once only.")
