"""API schemas for the current member, members, teams and tokens."""

from datetime import datetime

from ninja import Field, Schema

from rumbo.tenancy.models import Role
from rumbo.tenancy.versions import VERSION_DOC as VERSION
from rumbo.web.ids import Id


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
    version: int = Field(description=VERSION)


class TeamIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = None
    manager_id: Id | None = None
    external_id: str = Field("", max_length=100)


class TeamOut(TeamIn):
    """A team; its parent and manager are named to everyone who sees the team,
    also when they cannot open that team or member (ADR 0011)."""

    id: int
    parent: TeamRef | None
    manager: MemberRef | None
    version: int = Field(description=VERSION)


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
