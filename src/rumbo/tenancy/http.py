"""The request type of pages and API handlers: `member` is set by the middleware
(pages) or the API authentication, and is None for an anonymous visitor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from rumbo.tenancy.models import Member


class MemberRequest(HttpRequest):
    member: Member
