"""API operations for the caller's own notifications under /api/v1/notifications:
list (paged, `unread` and `kind` filters), read one, mark one or all read. Nobody, not even
an admin, reaches another member's notifications (they answer 404)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from rumbo.notifications import selectors, services
from rumbo.web.api_helpers import LIST_ERRORS, READ_ERRORS, actor_of, page_of
from rumbo.web.ids import max_page

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject_key: str
    title: str
    body: str
    link: str = Field(description="a path inside Rumbo, or empty")
    day: date = Field(description="the organisation's date the notification was made for")
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int
    page: int
    page_size: int
    unread_count: int = Field(description="all of the caller's unread notifications")


class NotificationQuery(Schema):
    unread: bool | None = Field(None, description="true: only unread; false: only read")
    kind: str | None = Field(None, max_length=40, description="only this kind, e.g. goal_status")
    page: int = Field(1, ge=1, le=max_page(settings.API_MAX_PAGE_SIZE),
                      description="Page number, from 1.")  # fmt: skip
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE,
                           description="Records per page.")  # fmt: skip
    ordering: Literal["created_at", "-created_at"] | None = Field(
        None, description="Sort by this field; a leading '-' reverses (default: newest first)."
    )


class MarkedOut(Schema):
    marked: int = Field(description="how many notifications were marked read")


@router.get("", response={200: NotificationPage, **LIST_ERRORS},
            operation_id="notifications_list", summary="List my notifications",
            url_name="notifications")  # fmt: skip
def notifications_list(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    member = actor_of(request)
    qs = selectors.notification_list(member=member, unread=query.unread, kind=query.kind)
    if query.ordering == "created_at":
        qs = qs.order_by("created_at", "pk")
    return {
        **page_of(qs, query.page, query.page_size),
        "unread_count": selectors.unread_count(member=member),
    }


# Before the /{id} paths, which would otherwise take "read-all" for an id.
@router.post("/read-all", response={200: MarkedOut, **READ_ERRORS},
             operation_id="notifications_mark_all_read",
             summary="Mark all my notifications read")  # fmt: skip
def notifications_mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notifications_mark_all_read(actor=actor_of(request))}


@router.get("/{id}", response={200: NotificationOut, **READ_ERRORS},
            operation_id="notifications_retrieve", summary="Get one of my notifications",
            url_name="notifications_detail")  # fmt: skip
def notifications_retrieve(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(selectors.notification_list(member=actor_of(request)), pk=id)


@router.post("/{id}/read", response={200: NotificationOut, **READ_ERRORS},
             operation_id="notifications_mark_read",
             summary="Mark one of my notifications read")  # fmt: skip
def notifications_mark_read(request: HttpRequest, id: int) -> Any:
    member = actor_of(request)
    notification = get_object_or_404(selectors.notification_list(member=member), pk=id)
    return services.notification_mark_read(actor=member, notification=notification)
