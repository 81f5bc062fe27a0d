from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.sales import choices
from rumbo.sales.models import invariants
from rumbo.sales.models.customers import Customer
from rumbo.sales.models.deals import Deal
from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.versions import Versioned

SCORE_RANGES = {choices.SurveyKind.CSAT: (1, 5), choices.SurveyKind.NPS: (0, 10)}


def _check_deal_customer(deal: Deal | None, customer_id: int | None) -> None:
    if deal is not None and deal.customer_id not in (None, customer_id):
        raise ValidationError({"deal": _("This deal belongs to another customer.")})


class SurveyResponse(Versioned, TenantModel):
    """A customer's CSAT (1–5) or NPS (0–10) answer; counts for `rep` on its date."""

    kind = models.CharField(_("survey"), max_length=4, choices=choices.SurveyKind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    responded_on = models.DateField(_("date"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=choices.SurveyChannel.choices,
        default=choices.SurveyChannel.EMAIL,
    )  # fmt: skip
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="survey_responses",
        verbose_name=_("customer"),
    )  # fmt: skip
    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses",
        verbose_name=_("deal"),
    )  # fmt: skip
    rep = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("rep")
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    scope_owner = "rep"

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-responded_on", "-id"]
        indexes = [models.Index(fields=["organization", "rep", "responded_on"])]
        constraints = invariants.SURVEY_RESPONSE

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score} · {self.customer}"

    def clean(self) -> None:
        low, high = SCORE_RANGES.get(self.kind, (0, 10))  # type: ignore[call-overload]
        if self.score is not None and not low <= self.score <= high:
            raise ValidationError(
                {"score": _("Enter a score from %(low)s to %(high)s.") % {"low": low, "high": high}}
            )
        if self.deal_id:
            _check_deal_customer(self.deal, self.customer_id)


class Complaint(Versioned, TenantModel):
    """A customer's complaint, counted for `rep`, from opening to resolution."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints",
        verbose_name=_("deal"),
    )  # fmt: skip
    rep = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("rep")
    )
    opened_at = models.DateTimeField(_("opened"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=choices.Severity.choices,
        default=choices.Severity.MEDIUM,
    )  # fmt: skip
    category = models.CharField(
        _("category"), max_length=20, choices=choices.ComplaintCategory.choices
    )
    status = models.CharField(
        _("status"), max_length=12, choices=choices.ComplaintStatus.choices,
        default=choices.ComplaintStatus.OPEN,
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    resolution_notes = models.TextField(_("resolution notes"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    scope_owner = "rep"

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "rep", "opened_at"]),
            models.Index(fields=["organization", "status"]),
        ]
        constraints = invariants.COMPLAINT

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.customer}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        resolved = self.status == choices.ComplaintStatus.RESOLVED
        if resolved and not self.resolved_at:
            errors["resolved_at"] = _("A resolved complaint needs its resolution time.")
        if not resolved and self.resolved_at:
            errors["status"] = _("A complaint with a resolution time is resolved.")
        if self.resolved_at and self.opened_at and self.resolved_at < self.opened_at:
            errors["resolved_at"] = _("It cannot be resolved before it was opened.")
        if errors:
            raise ValidationError(errors)
        if self.deal_id:
            _check_deal_customer(self.deal, self.customer_id)
