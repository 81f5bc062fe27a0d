"""GET /api/v1/search?q=: what the search box finds, grouped by kind, through
the caller's access path (the same selector as the pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from rumbo.search import selectors
from rumbo.web.api_helpers import LIST_ERRORS, actor_of

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(min_length=selectors.MIN_LENGTH, max_length=selectors.MAX_LENGTH,
                   description="Words to find, accent- and case-blind; each must appear "
                               "in one of a record's searched fields.")  # fmt: skip
    limit: int = Field(selectors.BOX_LIMIT, ge=1, le=selectors.PAGE_LIMIT,
                       description="Records per kind.")  # fmt: skip


class ResultOut(Schema):
    id: int
    title: str
    hint: str = Field(description="what tells it from records of the same name")
    url: str = Field(description="its page in Rumbo (a path), or empty")


class GroupOut(Schema):
    kind: str = Field(description="customers, contacts, deals, people, goals, …")
    label: str
    count: int = Field(description="every match of this kind the caller may see")
    results: list[ResultOut]
    more_url: str = Field(
        description="the kind's list filtered by the query, when there are more "
        "matches than results; else empty"
    )


class SearchOut(Schema):
    query: str
    groups: list[GroupOut]


@router.get("/search", response={200: SearchOut, **LIST_ERRORS}, operation_id="search",
            summary="Search customers, contacts, deals, people and goals",
            url_name="search")  # fmt: skip
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    try:
        text = selectors.clean_query(query.q)
    except ValidationError as exc:
        raise NinjaValidationError(
            [{"loc": ["query", "q"], "msg": " ".join(exc.messages), "type": exc.code or "invalid"}]
        ) from exc
    if not selectors.is_searchable(text):  # only spaces around one letter
        raise NinjaValidationError([{"loc": ["query", "q"], "type": "too_short",
                                     "msg": str(selectors.too_short())}])  # fmt: skip
    groups = selectors.search(member=actor_of(request), query=text, limit=query.limit)
    return {"query": text, "groups": [
        {"kind": g.key, "label": g.label, "count": g.count, "more_url": g.more_url,
         "results": [vars(r) for r in g.results]} for g in groups
    ]}  # fmt: skip
