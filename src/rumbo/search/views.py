"""/search/?q=: the results page (works without JavaScript) and, asked by htmx
from the navigation's box, the dropdown of the first few results per kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from rumbo.search import selectors
from rumbo.web.text import SINGLE_LINE_REFUSED


def _is_dropdown(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


@login_required
@require_GET
@vary_on_headers("HX-Request")  # the same URL answers a dropdown or a page
def search(request: HttpRequest) -> HttpResponse:
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    dropdown = _is_dropdown(request)
    raw = request.GET.get("q", "")
    error, query, groups, status = "", "", [], 200
    try:
        query = selectors.clean_query(raw)
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 400
        # Shown back in the box without what was refused.
        query = SINGLE_LINE_REFUSED.sub("", raw)[: selectors.MAX_LENGTH]
    else:
        limit = selectors.BOX_LIMIT if dropdown else selectors.PAGE_LIMIT
        groups = selectors.search(member=member, query=query, limit=limit)
    context = {
        "query": query, "groups": groups, "error": error,
        "too_short": bool(query) and not error and not selectors.is_searchable(query),
        "hint": selectors.too_short(), "total": sum(g.count for g in groups),
    }  # fmt: skip
    template = "search/_dropdown.html" if dropdown else "search/page.html"
    return render(request, template, context, status=status)
