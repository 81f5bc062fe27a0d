"""Recognition pages: the team feed (moments the reader may see, the month's
counts, the rules in words, and a form to give kudos), the kudos form on its
own, the admins' rule switches, and the small card the home page loads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rumbo.notifications.services import organization_today
from rumbo.recognition import selectors, services
from rumbo.recognition.forms import KudosForm, RuleSettingsForm
from rumbo.web.access import MemberRequest
from rumbo.web.auth import member_required

CARD_SIZE = 4


def _month(request: MemberRequest) -> tuple[dt.date, dt.date]:
    today = organization_today(request.member.organization)
    return today.replace(day=1), today


def _feed_context(request: MemberRequest, form: KudosForm) -> dict[str, Any]:
    viewer = request.member
    start, end = _month(request)
    moments = selectors.feed(viewer)
    return {
        "moments": [(m, selectors.may_open(viewer, m)) for m in moments],
        "form": form, "can_give": form.fields["receiver"].queryset.exists(),  # type: ignore[attr-defined]
        "counts": selectors.counts(viewer, start=start, end=end), "month": start,
        "rules": selectors.rule_states(viewer.organization_id),
    }  # fmt: skip


@member_required
def feed(request: MemberRequest) -> HttpResponse:
    form = KudosForm(recipients=selectors.kudos_recipients(request.member))
    return render(request, "recognition/feed.html", _feed_context(request, form))


@member_required
def kudos_new(request: MemberRequest) -> HttpResponse:
    """Give kudos (GET: the form alone; POST: give, then back to the feed).
    A refused form writes nothing and says what was wrong, by field (400)."""
    actor = request.member
    form = KudosForm(request.POST or None, recipients=selectors.kudos_recipients(actor))
    status = 200
    if request.method == "POST":
        # The service judges the receiver (oneself, another organisation, out of
        # view) and the text; the form's own choice check would hide why.
        data = request.POST
        receiver = selectors.kudos_recipient_named(actor, data.get("receiver", ""))
        try:
            kudos = services.kudos_give(actor=actor, receiver=receiver, text=data.get("text", ""))
        except ValidationError as exc:
            form.is_valid()
            form.errors.clear()
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        else:
            messages.success(request, _("Kudos sent to %(name)s.") % {"name": kudos.receiver.name})
            return redirect(services.moment_link(kudos))
    return render(request, "recognition/kudos_form.html", {"form": form}, status=status)


@member_required
def rule_settings(request: MemberRequest) -> HttpResponse:
    """The admins switch each rule on or off for the organisation."""
    actor = request.member
    if actor.role != "admin":
        raise PermissionDenied
    states = selectors.rule_states(actor.organization_id)
    initial = {"rules": [s.rule.key for s in states if s.on]}
    form = RuleSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.rule_settings_set(actor=actor, enabled=form.cleaned_data["rules"])
            messages.success(request, _("Recognition rules saved."))
            return redirect("recognition:settings")
        status = 400
    return render(request, "recognition/settings.html", {"form": form, "states": states},
                  status=status)  # fmt: skip


@member_required
def card(request: MemberRequest) -> HttpResponse:
    """The home page's card (loaded by htmx after the page): the reader's own
    latest moments and this month's count."""
    viewer = request.member
    start, end = _month(request)
    mine = selectors.feed(viewer, person=viewer, size=CARD_SIZE)
    counts = [c for c in selectors.counts(viewer, start=start, end=end) if c.member.pk == viewer.pk]
    return render(request, "recognition/_card.html",
                  {"moments": [(m, True) for m in mine], "mine": counts[0] if counts else None,
                   "month": start})  # fmt: skip
