"""Satisfaction surveys sent to a customer's contact by email (issue 18, item 3).

An invitation asks one contact one question (CSAT or NPS) about a deal; its
links carry a random token of which only the hash is stored (`SurveyLink`:
the first email's link and each reminder's). Answering creates the
`sales.SurveyResponse`, counted for the invitation's rep. `SurveyOptOut` is an
address that asked for no more surveys: honoured forever."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.care.models.followups import FollowUp
from rumbo.sales.choices import SurveyKind
from rumbo.sales.models import Contact, Customer, Deal, SurveyResponse
from rumbo.tenancy import scoping
from rumbo.tenancy.models import Member, TenantModel


class InvitationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    FAILED = "failed", _("Not delivered")


class SurveyInvitation(TenantModel):
    """One survey emailed to one contact; answered once, until `expires_at`."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT,
                                related_name="survey_invitations",
                                verbose_name=_("contact"))  # fmt: skip
    email = models.EmailField(_("sent to"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT,
                                 related_name="survey_invitations",
                                 verbose_name=_("customer"))  # fmt: skip
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="survey_invitations", verbose_name=_("deal"))  # fmt: skip
    rep = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="survey_invitations",
                            verbose_name=_("rep"))  # fmt: skip
    follow_up = models.ForeignKey(FollowUp, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="survey_invitations",
                                  verbose_name=_("follow-up"))  # fmt: skip
    kind = models.CharField(_("survey"), max_length=4, choices=SurveyKind.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.SENT)  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    response = models.OneToOneField(SurveyResponse, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="invitation",
                                    verbose_name=_("response"))  # fmt: skip

    scope_owner = "rep"

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "email", "created_at"]),
            models.Index(fields=["organization", "status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.email}"


class SurveyLink(models.Model):
    """A link emailed for an invitation: the SHA-256 of its token, never the token."""

    scope_through = "invitation"

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE,
                                   related_name="links")  # fmt: skip
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")

    def __str__(self) -> str:
        return f"{self.invitation_id}"


class SurveyOptOut(TenantModel):
    """An address that unsubscribed from the organisation's surveys: never asked again."""

    email = models.EmailField(_("email"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    scope_owner = scoping.ADMIN_ONLY

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], name="care_survey_opt_out_once"
            ),
        ]

    def __str__(self) -> str:
        return self.email
