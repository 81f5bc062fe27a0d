"""Notices about customers' feedback: a complaint opened on your customer, a
serious one escalated to the manager (high severity) and the admins
(critical), and a survey answered by a detractor (NPS 0–6, CSAT 1–2).

The customer's owner hears about it, and the rep it counts for when that is
someone else; never the person who recorded it, and never someone who may not
open the complaint or response (a notice carries its text and its link). Each is told once per
complaint or response, however often it is edited."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from rumbo.notifications.models import Kind
from rumbo.notifications.recipients import admins, in_charge_of, without
from rumbo.notifications.services import notification_send
from rumbo.sales.choices import ComplaintCategory, ComplaintStatus, Severity, SurveyKind
from rumbo.sales.models import Complaint, SurveyResponse
from rumbo.tenancy.models import Member

SERIOUS = (Severity.HIGH, Severity.CRITICAL)
DETRACTOR_UP_TO = {SurveyKind.NPS: 6, SurveyKind.CSAT: 2}

label = lazy(lambda choices, value: str(choices(value).label), str)


def _day(member: Member, at: dt.datetime | None) -> dt.date | None:
    """The organisation's date of a moment in the past (None: today)."""
    if at is None:
        return None
    return at.astimezone(zoneinfo.ZoneInfo(member.organization.time_zone)).date()


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(160)


def complaint_notify(*, complaint: Complaint, actor: Member | None, creating: bool,
                     at: dt.datetime | None = None) -> int:  # fmt: skip
    """A new complaint tells the customer's owner (and the rep it counts for);
    a high or critical one that is not resolved is also escalated to their
    manager (else the admins), a critical one to the admins as well. `at`:
    when it happened, for a history written afterwards. Returns how many were new."""
    customer = complaint.customer
    involved = without([customer.owner, complaint.rep])
    link = reverse("sales:complaint_detail", args=[complaint.pk])
    severity = label(Severity, complaint.severity)
    category = label(ComplaintCategory, complaint.category)
    body = format_lazy(_("{severity} severity · {category}. {description}"), severity=severity,
                       category=category, description=_short(complaint.description))  # fmt: skip
    sent = 0
    if creating:
        title = format_lazy(_("Complaint from {customer}"), customer=customer.name)
        for person in without(involved, actor):
            sent += _send(person, complaint, f"complaint:{complaint.pk}", title, body, link, at)
    if complaint.severity in SERIOUS and _open_at(complaint, at):
        above: list[Member] = []
        for person in involved:
            above += in_charge_of(person)
        if complaint.severity == Severity.CRITICAL:
            above += admins(complaint.organization_id)
        owner = involved[0].name if involved else ""
        title = format_lazy(_("Escalated to you: complaint from {customer}"),
                            customer=customer.name)  # fmt: skip
        body = format_lazy(_("On {owner}’s customer. {details}"), owner=owner, details=body)
        for person in without(above, actor, *involved):
            sent += _send(
                person, complaint, f"complaint:{complaint.pk}:escalated", title, body, link, at
            )
    return sent


def _open_at(complaint: Complaint, at: dt.datetime | None) -> bool:
    """Whether the complaint was open at `at` (None: now): a history written
    afterwards escalates what was open when it happened."""
    if at is None:
        return complaint.status != ComplaintStatus.RESOLVED
    return complaint.resolved_at is None or complaint.resolved_at > at


def is_detractor(response: SurveyResponse) -> bool:
    limit = DETRACTOR_UP_TO.get(response.kind)  # type: ignore[call-overload]
    return limit is not None and response.score is not None and response.score <= limit


def survey_notify(*, response: SurveyResponse, actor: Member | None,
                  at: dt.datetime | None = None) -> int:  # fmt: skip
    """A detractor's answer tells the customer's owner (and the rep it counts
    for), so they call before it turns into a complaint. Returns how many were new."""
    if not is_detractor(response):
        return 0
    customer = response.customer
    title = format_lazy(_("Unhappy customer: {customer} answered {kind} {score}"),
                        customer=customer.name, kind=response.kind.upper(),
                        score=response.score)  # fmt: skip
    said = _short(response.comment)
    body = (format_lazy(_("“{comment}” Call them before it turns into a complaint."),
                        comment=said) if said
            else _("Call them before it turns into a complaint."))  # fmt: skip
    link = reverse("sales:surveyresponse_detail", args=[response.pk])
    sent = 0
    for person in without([customer.owner, response.rep], actor):
        sent += _send(
            person, response, f"survey:{response.pk}", title, body, link, at, Kind.DETRACTOR
        )
    return sent


def _send(person: Member, record: Complaint | SurveyResponse, key: str, title: object,
          body: object, link: str, at: dt.datetime | None,
          kind: str = Kind.COMPLAINT) -> int:  # fmt: skip
    # Through the one access path: a customer's owner may not see a complaint
    # counted for another rep's deal on that customer (ADR 0011).
    if not type(record).objects.visible_to(person).filter(pk=record.pk).exists():
        return 0
    done = notification_send(recipient=person, kind=kind, subject_key=key, title=title,  # type: ignore[arg-type]
                             body=body, link=link, once=True, at=at, day=_day(person, at))  # type: ignore[arg-type]  # fmt: skip
    return int(done is not None)
