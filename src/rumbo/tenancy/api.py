"""API operations for the current member, members, teams and personal tokens.
Everyone lists and reads the members and teams they can see; admins write them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Status

from rumbo.tenancy import selectors, services
from rumbo.tenancy.filters import MemberFilter, TeamFilter
from rumbo.tenancy.models import Member, Team
from rumbo.tenancy.schemas import (
    MemberIn,
    MemberOut,
    MeOut,
    TeamIn,
    TeamOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from rumbo.web.api_helpers import (
    CREATE_ERRORS,
    READ_ERRORS,
    ApiResource,
    ErrorOut,
    actor_of,
    register,
)
from rumbo.web.filter_api import api_filters

router = Router(tags=["organisation"])


@router.get("/me", response={200: MeOut, 401: ErrorOut}, operation_id="me_retrieve",
            summary="Who am I", url_name="me")  # fmt: skip
def me(request: HttpRequest) -> dict[str, Any]:
    member = actor_of(request)
    return {
        "member": member,
        "organization": member.organization,
        "role": member.role,
        "language": translation.get_language(),
    }


@router.get("/tokens", response={200: list[TokenOut], 401: ErrorOut}, operation_id="tokens_list",
            summary="List my API tokens", url_name="tokens")  # fmt: skip
def tokens_list(request: HttpRequest) -> Any:
    return selectors.token_list(member=actor_of(request))


@router.post("/tokens", response={201: TokenCreatedOut, **CREATE_ERRORS},
             operation_id="tokens_create", summary="Create an API token")  # fmt: skip
def tokens_create(
    request: HttpRequest, response: HttpResponse, payload: TokenIn
) -> Status[dict[str, Any]]:
    token, raw = services.api_token_create(member=actor_of(request), name=payload.name)
    response["Cache-Control"] = "no-store"  # the answer carries the secret itself
    out = TokenOut.model_validate(token).model_dump()
    return Status(201, {**out, "token": raw})


@router.delete("/tokens/{id}", response={204: None, **READ_ERRORS},
               operation_id="tokens_delete", summary="Revoke an API token",
               url_name="tokens_detail")  # fmt: skip
def tokens_delete(request: HttpRequest, id: int) -> Status[None]:
    member = actor_of(request)
    token = get_object_or_404(selectors.token_list(member=member), pk=id)
    services.api_token_revoke(member=member, token=token)  # revoking twice is harmless
    return Status(204, None)


def _save_member(*, actor: Member, obj: Member, creating: bool, extra: dict[str, Any]) -> Member:
    return services.member_save(actor=actor, member=obj, creating=creating)


def _save_team(*, actor: Member, obj: Team, creating: bool, extra: dict[str, Any]) -> Team:
    return services.team_save(actor=actor, team=obj, creating=creating)


register(router, ApiResource(
    path="members", model=Member, schema_in=MemberIn, schema_out=MemberOut,
    filters=api_filters(MemberFilter), save=_save_member, delete=services.record_delete,
    orderings=["name", "email", "role", "created_at"], select_related=["team"],
    tag="organisation",
))  # fmt: skip

register(router, ApiResource(
    path="teams", model=Team, schema_in=TeamIn, schema_out=TeamOut,
    filters=api_filters(TeamFilter), save=_save_team, delete=services.record_delete,
    orderings=["name"], select_related=["parent", "manager"], tag="organisation",
))  # fmt: skip
