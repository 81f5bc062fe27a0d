"""API operations of recognition: the moments the caller may read (kudos and
badges, newest first, as the team feed shows them) and giving kudos — the same
selectors and service as the pages. Another organisation's ids answer 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from rumbo.recognition import selectors, services
from rumbo.recognition.rules import rule_title
from rumbo.web.api_helpers import (
    CREATE_ERRORS,
    LIST_ERRORS,
    READ_ERRORS,
    actor_of,
    api_field_names,
    page_of,
)
from rumbo.web.ids import max_page

router = Router(tags=["recognition"])


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=max_page(settings.API_MAX_PAGE_SIZE),
                      description="Page number, from 1.")  # fmt: skip
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE,
                           description="Records per page.")  # fmt: skip


class KudosQuery(PageQuery):
    ordering: Literal["created_at", "-created_at"] | None = Field(
        None, description="Sort by this field; a leading '-' reverses.")  # fmt: skip


class BadgeQuery(PageQuery):
    ordering: Literal["earned_on", "-earned_on", "rule", "-rule"] | None = Field(
        None, description="Sort by this field; a leading '-' reverses.")  # fmt: skip


class KudosOut(Schema):
    id: int
    giver_id: int
    receiver_id: int
    text: str
    created_at: dt.datetime


class KudosIn(Schema):
    receiver_id: int = Field(description="the person thanked: somebody the caller may thank")
    text: str = Field(max_length=2000, description="one line, 1–280 characters")


class KudosPage(Schema):
    items: list[KudosOut]
    count: int
    page: int
    page_size: int


class BadgeOut(Schema):
    id: int
    member_id: int
    rule: str
    title: str
    subject_key: str
    earned_on: dt.date

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(rule_title(obj.rule))


class BadgePage(Schema):
    items: list[BadgeOut]
    count: int
    page: int
    page_size: int


@router.get("/kudos", response={200: KudosPage, **LIST_ERRORS}, operation_id="kudos_list",
            summary="List the kudos I may read", url_name="kudos")  # fmt: skip
def kudos_list(request: HttpRequest, query: Query[KudosQuery]) -> dict[str, Any]:
    qs = selectors.kudos(actor_of(request)).order_by(query.ordering or "-created_at", "-pk")
    return page_of(qs, query.page, query.page_size)


@router.post("/kudos", response={201: KudosOut, **CREATE_ERRORS}, operation_id="kudos_create",
             summary="Give kudos")  # fmt: skip
def kudos_create(request: HttpRequest, payload: KudosIn) -> Status:
    actor = actor_of(request)
    receiver = selectors.kudos_recipient_named(actor, payload.receiver_id)
    with api_field_names({"receiver": "receiver_id"}):
        return Status(201, services.kudos_give(actor=actor, receiver=receiver, text=payload.text))


@router.get("/kudos/{id}", response={200: KudosOut, **READ_ERRORS},
            operation_id="kudos_retrieve", summary="Get one kudos")  # fmt: skip
def kudos_retrieve(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(selectors.kudos(actor_of(request)), pk=id)


@router.get("/badges", response={200: BadgePage, **LIST_ERRORS}, operation_id="badges_list",
            summary="List the badges I may read", url_name="badges")  # fmt: skip
def badges_list(request: HttpRequest, query: Query[BadgeQuery]) -> dict[str, Any]:
    qs = selectors.badges(actor_of(request)).order_by(query.ordering or "-earned_on", "-pk")
    return page_of(qs, query.page, query.page_size)


@router.get("/badges/{id}", response={200: BadgeOut, **READ_ERRORS},
            operation_id="badges_retrieve", summary="Get one badge")  # fmt: skip
def badges_retrieve(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(selectors.badges(actor_of(request)), pk=id)
