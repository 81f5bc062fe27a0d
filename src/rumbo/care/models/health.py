"""Customer health: the organisation's weights of each warning sign (one row,
the admins'), and each customer's last band, kept by the daily sweep so that a
customer turning red is announced once per change."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.sales.models import Customer
from rumbo.tenancy.models import TenantModel
from rumbo.tenancy.scoping import ADMIN_ONLY

POINTS = [MaxValueValidator(100)]


class HealthSettings(TenantModel):
    """How many points each warning sign takes off a customer's 100 (docs/care.md,
    "Customer health"). No row: the defaults below."""

    detractor = models.PositiveSmallIntegerField(
        _("detractor score"), default=30, validators=POINTS,
        help_text=_("Latest NPS 0–6 or CSAT 1–2 within the window below."),
    )  # fmt: skip
    detractor_days = models.PositiveSmallIntegerField(
        _("survey window (days)"), default=90, validators=[MaxValueValidator(3650)]
    )
    complaint = models.PositiveSmallIntegerField(_("open complaint"), default=15, validators=POINTS)
    complaint_high = models.PositiveSmallIntegerField(
        _("open high or critical complaint"), default=30, validators=POINTS,
        help_text=_("Takes the place of the open complaint's points."),
    )  # fmt: skip
    overdue_follow_up = models.PositiveSmallIntegerField(
        _("overdue follow-up"), default=10, validators=POINTS
    )
    repurchase_overdue = models.PositiveSmallIntegerField(
        _("repurchase overdue"), default=20, validators=POINTS
    )
    falling_spend = models.PositiveSmallIntegerField(
        _("falling spend"), default=15, validators=POINTS
    )
    spend_drop_percent = models.PositiveSmallIntegerField(
        _("spend drop that counts (%)"), default=20, validators=POINTS,
        help_text=_("Won revenue of the last 12 months below the previous 12 by this much."),
    )  # fmt: skip
    valuable_from = models.DecimalField(
        _("valuable from"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Won revenue over the last 12 months from which a customer turning red "
                    "is announced to its owner and their manager."),
    )  # fmt: skip

    scope_owner = ADMIN_ONLY

    class Meta:
        verbose_name = _("customer health settings")
        verbose_name_plural = _("customer health settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="care_health_settings_once"),
        ]

    def __str__(self) -> str:
        return str(_("Customer health settings"))


class CustomerHealth(TenantModel):
    """A customer's band at the last daily sweep (the previous band the next
    sweep compares with), and since when."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE,
                                    related_name="health", verbose_name=_("customer"))  # fmt: skip
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("band"), max_length=6)
    since = models.DateField(_("since"))

    scope_owner = "customer__owner"

    class Meta:
        verbose_name = _("customer health")
        verbose_name_plural = _("customer health")
        indexes = [models.Index(fields=["organization", "band"])]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.band}"
