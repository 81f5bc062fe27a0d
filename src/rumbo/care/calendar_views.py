"""Pages of the calendar feed: the member's small page (the link, made once,
regenerated or revoked there) and the public feed itself, opened by the
token in its URL with no login (an unknown, old or revoked token: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.care import calendar
from rumbo.web.access import MemberRequest
from rumbo.web.auth import member_required

# The new link, kept in the session only until the page shows it once.
SESSION_KEY = "care_calendar_link"


@member_required
def calendar_page(request: MemberRequest) -> HttpResponse:
    feed = calendar.feed_of(request.member)
    link = request.session.pop(SESSION_KEY, "")
    return render(request, "care/calendar_feed.html", {"feed": feed, "link": link})


@member_required
@require_POST
def calendar_regenerate(request: MemberRequest) -> HttpResponse:
    """Make a new link (the old one stops working) and show it once."""
    token = calendar.feed_issue(member=request.member)
    url = reverse("care:calendar_feed", args=[token])
    request.session[SESSION_KEY] = request.build_absolute_uri(url)
    messages.success(request, _("Your new calendar link is ready; the old one no longer works."))
    return redirect("care:calendar")


@member_required
@require_POST
def calendar_revoke(request: MemberRequest) -> HttpResponse:
    calendar.feed_revoke(member=request.member)
    messages.success(request, _("Calendar link revoked: calendars subscribed to it get nothing."))
    return redirect("care:calendar")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for a calendar application: no session, the token decides."""
    member = calendar.member_of_token(token)
    if member is None:
        raise Http404
    body = calendar.feed_ics(member, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="rumbo.ics"'
    return response
