"""The notifications page: the reader's own notifications, newest first (all
or unread, one kind or every kind), with "mark read" (htmx, or a plain POST)
and "mark all read"; and the page where the reader chooses their email digest."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rumbo.notifications import selectors, services
from rumbo.notifications.forms import DigestForm, NotificationFilterForm
from rumbo.notifications.models import Digest


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    form = NotificationFilterForm(request.GET)
    unread, kind = form.unread(), form.chosen_kind()
    qs = selectors.notification_list(member=member, unread=unread, kind=kind)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {"show": "unread" if unread else "", "kind": kind or ""}
    context = {
        "page": page, "show": "unread" if unread else "all", "form": form, "kind": kind or "",
        "query": urlencode({k: v for k, v in kept.items() if v}),
        "kind_query": urlencode({"kind": kind}) if kind else "",
        "digest": Digest(services.digest_preference(member)).label,
    }  # fmt: skip
    template = "notifications/_results.html" if _is_partial(request) else "notifications/list.html"
    return render(request, template, context)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    notification = get_object_or_404(selectors.notification_list(member=member), pk=pk)
    services.notification_mark_read(actor=member, notification=notification)
    if _is_partial(request):
        # The row, now read, and the bell's count (swapped out of band).
        unread = selectors.unread_count(member=member)
        return render(request, "notifications/_marked.html",
                      {"notification": notification, "unread": unread})  # fmt: skip
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    count = services.notifications_mark_all_read(actor=member)
    messages.success(request, ngettext("%(count)d notification marked read.",
                                       "%(count)d notifications marked read.", count)
                     % {"count": count})  # fmt: skip
    return redirect("notifications:list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Choose how often the email digest comes: never, every morning, Mondays."""
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    form = DigestForm(request.POST or None,
                      initial={"digest": services.digest_preference(member)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.digest_preference_set(actor=member, digest=form.cleaned_data["digest"])
        messages.success(request, _("Saved: %(choice)s.")
                         % {"choice": Digest(form.cleaned_data["digest"]).label})  # fmt: skip
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html",
                  {"form": form, "hour": settings.NOTIFICATIONS_DIGEST_HOUR})  # fmt: skip
