"""The public survey pages (no login; the token in the URL opens one
invitation) and the members' "send survey" action on a follow-up.

Unknown and wrong tokens answer the same 404. An answered or expired survey
says so politely. A POST from a signed-in session is refused (the rep cannot
answer for the customer) and logged by the service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.care import surveys
from rumbo.care.models import FollowUp, SurveyInvitation
from rumbo.sales.choices import SurveyKind
from rumbo.tenancy.views import client_address
from rumbo.web.auth import member_required


def _page(request: HttpRequest, invitation: SurveyInvitation, template: str,
          status: int = 200, **extra: Any) -> HttpResponse:  # fmt: skip
    with translation.override(invitation.language):
        response = render(request, template, {"invitation": invitation,
                                              "organization": invitation.organization,
                                              **extra}, status=status)  # fmt: skip
        response["Content-Language"] = invitation.language
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token stays out of other sites' logs
    return response


def _invitation(token: str) -> SurveyInvitation:
    invitation = surveys.lookup(token)
    if invitation is None:
        raise Http404
    return invitation


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    state = surveys.state(invitation)
    if state != "open":
        return _page(request, invitation, f"care/survey_{state}.html",
                     status=410 if state == "expired" else 409 if request.method == "POST"
                     else 200)  # fmt: skip
    scores = list(surveys.SCORES[SurveyKind(invitation.kind)])
    chosen = request.GET.get("score", "")
    error = ""
    if request.method == "POST":
        if not surveys.allowed(raw=token, client=client_address(request)):
            return _page(request, invitation, "care/survey_busy.html", status=429)
        chosen = request.POST.get("score", "")
        comment = request.POST.get("comment", "")[:2000]
        try:
            score = int(chosen)
            given = surveys.Answer(score, comment, tuple(request.POST.getlist("reasons")))
            surveys.answer(invitation=invitation, member=getattr(request, "member", None),
                           user=request.user, given=given)  # fmt: skip
        except surveys.SurveyRefused as refused:
            status = 403 if refused.reason == "member" else 409
            template = f"care/survey_{refused.reason}.html"
            return _page(request, invitation, template, status=status)
        except (ValueError, ValidationError):
            with translation.override(invitation.language):
                error = _("Choose a score.")
        else:
            return _page(request, invitation, "care/survey_thanks.html", score=score)
    return _page(request, invitation, "care/survey_answer.html", status=400 if error else 200,
                 scores=scores, chosen=chosen, error=error,
                 reasons=surveys.REASONS, nps=invitation.kind == SurveyKind.NPS)  # fmt: skip


def survey_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners open links); POST unsubscribes for good."""
    invitation = _invitation(token)
    if request.method == "POST":
        surveys.unsubscribe(invitation=invitation)
        return _page(request, invitation, "care/survey_unsubscribed.html")
    return _page(request, invitation, "care/survey_unsubscribe.html")


@member_required
@require_POST
def follow_up_send_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the survey of a follow-up now (the job sends it and marks it done)."""
    from rumbo.care.survey_tasks import send_follow_up_survey

    member = request.member  # type: ignore[attr-defined]
    follow_up = get_object_or_404(FollowUp.objects.visible_to(member), pk=pk)
    try:
        surveys.send_for_follow_up(actor=member, follow_up=follow_up)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise
    else:
        send_follow_up_survey(follow_up.pk)
        messages.success(request, _("The survey is on its way."))
    return HttpResponseRedirect(reverse("care:followup_detail", args=[pk]))
