"""Satisfaction surveys by email: who may be asked, the email with one-click
scores, reminders, and the customer's answer (docs/care.md, "Satisfaction
surveys by email").

Tokens: 32 random bytes from `secrets`, emailed and never stored; the database
keeps their SHA-256 (`SurveyLink`), looked up through its unique index, so a
guessed token finds nothing and a wrong one answers like an unknown one."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.care import choices
from rumbo.care.models import FollowUp, SurveyInvitation, SurveyLink, SurveyOptOut
from rumbo.care.models.surveys import InvitationStatus
from rumbo.sales.choices import SurveyChannel, SurveyKind
from rumbo.sales.models import Contact, SurveyResponse
from rumbo.sales.services import survey_response_save
from rumbo.tenancy.models import Member
from rumbo.tenancy.records import audit

logger = logging.getLogger(__name__)

# TODO(issue 18): an organisation setting; constants until Organization gets the fields.
THROTTLE_DAYS = 30  # no second invitation to one address within this many days
REMINDERS_MAX = 1  # reminders per invitation, at most
REMINDER_GAP_DAYS = 3  # days between the last email and a reminder, at least
EXPIRES_DAYS = 30  # an invitation can be answered for this many days
POSTS_PER_CLIENT = 30  # answers (or attempts) per hour from one address
POSTS_PER_TOKEN = 5  # and per link
SCORES = {SurveyKind.CSAT: range(1, 6), SurveyKind.NPS: range(0, 11)}
REASONS = [  # optional reason choices shown under the score
    ("product", gettext_lazy("The product")),
    ("service", gettext_lazy("The service")),
    ("delivery", gettext_lazy("Delivery")),
    ("price", gettext_lazy("Price")),
    ("rep", gettext_lazy("My contact person")),
]


class SurveyRefused(Exception):
    """An answer the page turns away politely: `reason` is answered, expired or member."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _email_of(address: str) -> str:
    return address.strip().lower()


def why_not(*, contact: Contact, now: dt.datetime | None = None) -> str:
    """Why `contact` cannot be sent a survey now ("" when they can)."""
    email = _email_of(contact.email or "")
    if not email:
        return _("The contact has no email address.")
    org = contact.organization_id
    if Member.objects.filter(organization_id=org, email__iexact=email).exists():
        # A rep who typed their own address on the contact would answer for the customer.
        return _("The address belongs to a member of the organisation, not to the customer.")
    if SurveyOptOut.objects.filter(organization_id=org, email=email).exists():
        return _("The contact unsubscribed from surveys.")
    since = (now or timezone.now()) - dt.timedelta(days=THROTTLE_DAYS)
    if SurveyInvitation.objects.filter(organization_id=org, email=email,
                                       created_at__gte=since).exists():  # fmt: skip
        return _("The contact was sent a survey in the last %(days)s days.") % {
            "days": THROTTLE_DAYS
        }
    return ""


def contact_for(follow_up: FollowUp) -> Contact | None:
    """The customer's first contact with an email address."""
    return (Contact.objects.filter(customer_id=follow_up.customer_id).exclude(email="")
            .order_by("id").first())  # fmt: skip


def _new_link(invitation: SurveyInvitation) -> str:
    raw = secrets.token_urlsafe(32)
    SurveyLink.objects.create(invitation=invitation, token_hash=hash_token(raw))
    return raw


def survey_send(*, contact: Contact, kind: str = SurveyKind.CSAT,
                follow_up: FollowUp | None = None, connection: Any = None,
                now: dt.datetime | None = None) -> SurveyInvitation | None:  # fmt: skip
    """Invite `contact` and email them (None when throttled, unsubscribed or
    without address). The rep is the follow-up's deal owner, else the customer's."""
    now = now or timezone.now()
    if why_not(contact=contact, now=now):
        return None
    customer = contact.customer
    deal = follow_up.deal if follow_up else None
    rep_id = (deal.owner_id if deal else None) or customer.owner_id
    if rep_id is None and follow_up is not None:
        rep_id = follow_up.owner_id
    if rep_id is None:
        return None
    with transaction.atomic():
        invitation = SurveyInvitation.objects.create(
            organization_id=contact.organization_id, contact=contact,
            email=_email_of(contact.email), customer=customer, deal=deal, rep_id=rep_id,
            follow_up=follow_up, kind=kind, language=customer.organization.language or "en",
            expires_at=now + dt.timedelta(days=EXPIRES_DAYS), sent_at=now,
        )  # fmt: skip
        raw = _new_link(invitation)
    _deliver(invitation, raw, reminder=False, connection=connection)
    return invitation


def _deliver(invitation: SurveyInvitation, raw: str, *, reminder: bool, connection: Any) -> None:
    """Email the invitation in its language; a refused address marks it failed."""
    answer = settings.BASE_URL + reverse("care:survey_answer", args=[raw])
    scores = [(n, f"{answer}?score={n}") for n in SCORES[SurveyKind(invitation.kind)]]
    context = {
        "invitation": invitation, "organization": invitation.organization,
        "answer_url": answer, "scores": scores, "reminder": reminder,
        "unsubscribe_url": settings.BASE_URL + reverse("care:survey_unsubscribe", args=[raw]),
    }  # fmt: skip
    with translation.override(invitation.language):
        subject = render_to_string("care/survey_email_subject.txt", context).strip()
        text = render_to_string("care/survey_email.txt", context)
        html = render_to_string("care/survey_email.html", context)
    message = EmailMultiAlternatives(subject, text, None, [invitation.email],
                                     connection=connection)  # fmt: skip
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # a refused address or a mail server down: seen on the invitation
        logger.exception("survey invitation %s not delivered", invitation.pk)
        SurveyInvitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.FAILED)


def remind(*, invitation: SurveyInvitation, connection: Any = None,
           now: dt.datetime | None = None) -> None:  # fmt: skip
    """A reminder with a new link (the first one keeps working)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation.reminders_sent += 1
        invitation.last_reminder_at = now
        invitation.save(update_fields=["reminders_sent", "last_reminder_at"])
        raw = _new_link(invitation)
    _deliver(invitation, raw, reminder=True, connection=connection)


def follow_up_survey(*, follow_up: FollowUp, connection: Any = None,
                     now: dt.datetime | None = None) -> SurveyInvitation | None:  # fmt: skip
    """Send the survey of one open follow-up and mark it done (the activity
    recorded says to whom, or why no survey went: throttled or unsubscribed).
    Without a contact with an email the follow-up stays open for the rep."""
    from rumbo.care.services import complete  # the follow-up's own service

    now = now or timezone.now()
    contact = contact_for(follow_up)
    if contact is None or follow_up.status != choices.Status.OPEN:
        return None
    with translation.override(follow_up.organization.language or "en"):
        invitation = survey_send(contact=contact, follow_up=follow_up, connection=connection,
                                 now=now)  # fmt: skip
        if invitation is not None:
            note = _("Survey emailed to %(email)s.") % {"email": contact.email}
        else:
            note = why_not(contact=contact, now=now) or _("No survey sent.")
    day = min(timezone.localdate(now), timezone.localdate())
    complete(actor=follow_up.owner, follow_up=follow_up, day=day, outcome="done", notes=note)
    return invitation


def follow_up_run(follow_up_id: int) -> SurveyInvitation | None:
    """The explicit "send survey" action, run by the job."""
    follow_up = FollowUp.objects.select_related("organization").filter(pk=follow_up_id).first()
    return follow_up_survey(follow_up=follow_up) if follow_up else None


def due_run(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """The daily job: the surveys of follow-ups due by today (each marked done),
    then the reminders due. Returns (sent, reminded)."""
    now = now or timezone.now()
    connection = get_connection()
    connection.open()  # one SMTP conversation for the whole run
    try:
        return _due_run(now=now, connection=connection)
    finally:
        connection.close()


def _due_run(*, now: dt.datetime, connection: Any) -> tuple[int, int]:
    sent = reminded = 0
    due = (FollowUp.objects.filter(kind=choices.StepKind.SURVEY, status=choices.Status.OPEN,
                                   due_on__lte=timezone.localdate(now))
           .select_related("deal", "customer__organization", "owner__organization",
                           "organization"))  # fmt: skip
    for follow_up in due.iterator():
        sent += follow_up_survey(follow_up=follow_up, connection=connection, now=now) is not None
    for invitation in reminders_due(now=now):
        remind(invitation=invitation, connection=connection, now=now)
        reminded += 1
    return sent, reminded


def reminders_due(*, now: dt.datetime) -> Any:
    """Invitations unanswered, not expired, with reminders left and the last
    email at least REMINDER_GAP_DAYS old, to addresses still subscribed."""
    gap = now - dt.timedelta(days=REMINDER_GAP_DAYS)
    opted_out = SurveyOptOut.objects.filter(organization_id=OuterRef("organization_id"),
                                            email=OuterRef("email"))  # fmt: skip
    return (SurveyInvitation.objects
            .filter(status=InvitationStatus.SENT, expires_at__gt=now,
                    reminders_sent__lt=REMINDERS_MAX, sent_at__lte=gap)
            .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=gap))
            .exclude(Exists(opted_out))
            .select_related("organization"))  # fmt: skip


def lookup(raw: str) -> SurveyInvitation | None:
    """The invitation a token opens, or None (unknown and wrong tokens alike)."""
    digest = hash_token(raw)
    link = (
        SurveyLink.objects.filter(token_hash=digest)
        .select_related("invitation__organization", "invitation__rep")
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link.invitation


def allowed(*, raw: str, client: str) -> bool:
    """Count one answer attempt and say whether it may go on (per client and per link, an hour)."""
    counts = [_hit(f"survey:client:{client}") <= POSTS_PER_CLIENT,
              _hit(f"survey:link:{hash_token(raw)}") <= POSTS_PER_TOKEN]  # fmt: skip
    return all(counts)


def _hit(key: str, window: int = 3600) -> int:
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def state(invitation: SurveyInvitation, now: dt.datetime | None = None) -> str:
    """ "open", "answered" or "expired", as the page shows it."""
    if invitation.answered_at is not None:
        return "answered"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str = ""
    reasons: tuple[str, ...] = ()


def answer(*, invitation: SurveyInvitation, given: Answer, member: Member | None = None,
           user: Any = None) -> SurveyResponse:  # fmt: skip
    """Record the customer's answer as a SurveyResponse (channel email, counted for
    the invitation's deal and rep). Refused with SurveyRefused when already answered,
    expired, or sent from a signed-in session (logged in the audit trail)."""
    if user is not None and user.is_authenticated:
        audit(actor=member if member and member.organization_id == invitation.organization_id
              else None, action="survey_refused", obj=invitation,
              changes={"why": "signed-in session", "user": user.pk})  # fmt: skip
        logger.warning("survey %s: answer from a signed-in session refused", invitation.pk)
        raise SurveyRefused("member")
    if given.score not in SCORES[SurveyKind(invitation.kind)]:
        raise ValidationError({"score": _("Choose a score.")})
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        current = state(locked)
        if current != "open":
            raise SurveyRefused(current)
        comment = given.comment.strip()
        response = SurveyResponse(
            organization_id=locked.organization_id, kind=locked.kind, score=given.score,
            comment=comment, responded_on=timezone.localdate(), channel=SurveyChannel.EMAIL,
            customer_id=locked.customer_id, deal_id=locked.deal_id, rep_id=locked.rep_id,
        )  # fmt: skip
        # Written as the rep: the record is theirs; the audit entry names the survey.
        survey_response_save(actor=locked.rep, response=response, creating=True)
        locked.answered_at, locked.response = timezone.now(), response
        locked.status = InvitationStatus.ANSWERED
        locked.reasons = [r for r in given.reasons if r in dict(REASONS)]
        locked.save(update_fields=["answered_at", "response", "status", "reasons"])
        audit(actor=None, action="survey_answered", obj=locked, changes={"score": given.score})
    return response


def unsubscribe(*, invitation: SurveyInvitation) -> None:
    """The invitation's address gets no more surveys from this organisation."""
    SurveyOptOut.objects.get_or_create(organization_id=invitation.organization_id,
                                       email=invitation.email)  # fmt: skip


def send_for_follow_up(*, actor: Member, follow_up: FollowUp) -> Contact:
    """Check the explicit "send survey" action may go ahead (the job sends it).
    Raises PermissionDenied or ValidationError saying why not."""
    if not FollowUp.objects.visible_to(actor).filter(pk=follow_up.pk).exists():
        raise PermissionDenied
    contact = contact_for(follow_up)
    if contact is None:
        raise ValidationError(_("The customer has no contact with an email address."))
    reason = why_not(contact=contact)
    if reason:
        raise ValidationError(reason)
    return contact
