from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rumbo.sales import choices
from rumbo.sales.models import invariants
from rumbo.sales.models.catalogue import Product, Technique
from rumbo.sales.models.customers import Customer
from rumbo.tenancy.models import CURRENCY_CHOICES, Member, TenantModel
from rumbo.tenancy.versions import Versioned


def money_field(label: Any, **kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """Money is Decimal with two places, up to 99,999,999,999,999.99."""
    return models.DecimalField(label, max_digits=16, decimal_places=2, **kwargs)


class Deal(Versioned, TenantModel):
    """An opportunity owned by a rep. Figures count for the owner on the close date;
    `amount_base` is the amount in the organisation's currency at that date."""

    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="deals", verbose_name=_("owner")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="deals",
        verbose_name=_("customer"),
    )  # fmt: skip
    stage = models.CharField(
        _("stage"), max_length=20, choices=choices.Stage.choices,
        default=choices.Stage.PROSPECTING,
    )  # fmt: skip
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=choices.Outcome.choices,
        default=choices.Outcome.OPEN,
    )  # fmt: skip
    loss_reason = models.CharField(
        _("loss reason"), max_length=20, choices=choices.LossReason.choices, blank=True
    )
    techniques = models.ManyToManyField(
        Technique, blank=True, related_name="deals", verbose_name=_("techniques used")
    )
    source = models.CharField(
        _("source"), max_length=20, choices=choices.Source.choices, blank=True
    )
    amount = money_field(_("amount"), validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    amount_base = money_field(_("amount in base currency"), null=True)
    # Empty when an import did not say (never guessed: a guess would make the
    # sales cycle read 0 days); forms and the API still date a new deal today.
    created_on = models.DateField(_("created on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    scope_owner = "owner"

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        # A deal of unknown creation date sorts last on both databases.
        ordering = [F("created_on").desc(nulls_last=True), "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="deal_unique_external_id",
            ),  # fmt: skip
            *invariants.DEAL,
        ]
        indexes = [
            models.Index(fields=["organization", "owner", "closed_on"]),
            models.Index(fields=["organization", "customer", "closed_on"]),
            models.Index(fields=["organization", "outcome", "closed_on"]),
            models.Index(fields=["organization", "created_on"]),
            # A rep's latest deals (home page, deal list): the top rows, not a sort of all.
            models.Index(fields=["organization", "owner", "created_on"]),
            # An import finds a deal without an external id by name and creation
            # date, which may be empty (imports.staging.Stage.match).
            models.Index(fields=["organization", "name", "created_on"], name="deal_natural_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_value(self) -> bool:
        """False for an open deal imported with no value yet: amount 0 and no base
        amount (imports.rules.deal_rules; every save through the services sets one)."""
        return not (
            self.outcome == choices.Outcome.OPEN and self.amount_base is None and not self.amount
        )

    def clean_fields(self, exclude: Any = None) -> None:
        if not self.has_value:  # an open deal with no value yet has no base amount
            exclude = {*(exclude or ()), "amount_base"}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        closed = self.outcome in (choices.Outcome.WON, choices.Outcome.LOST)
        if closed and not self.closed_on:
            errors["closed_on"] = _("A won or lost deal needs a close date.")
        if not closed and self.closed_on:
            errors["closed_on"] = _("An open deal has no close date yet.")
        if self.closed_on and self.created_on and self.closed_on < self.created_on:
            errors["closed_on"] = _("The close date cannot be before the creation date.")
        if self.loss_reason and self.outcome != choices.Outcome.LOST:
            errors["loss_reason"] = _("Only a lost deal has a loss reason.")
        if closed and self.customer_id is None:
            errors["customer"] = _("A won or lost deal needs a customer.")
        if errors:
            raise ValidationError(errors)


class DealLine(models.Model):
    """Product × quantity × price. Part of its deal: it goes when the deal goes."""

    # Read only through its deal (tenancy/checks.py, ADR 0015).
    scope_through = "deal"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="deal_lines", verbose_name=_("product")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    unit_price = money_field(_("unit price"), validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")
        ordering = ["id"]
        constraints = invariants.DEAL_LINE

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class Activity(Versioned, TenantModel):
    """A call, meeting, visit, email or post-sale check-in with a customer."""

    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="activities", verbose_name=_("rep")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="activities", verbose_name=_("customer")
    )
    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
        verbose_name=_("deal"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=choices.ActivityKind.choices)
    date = models.DateField(_("date"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=choices.ActivityOutcome.choices,
        default=choices.ActivityOutcome.DONE,
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    scope_owner = "owner"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "owner", "date"]),
            models.Index(fields=["organization", "customer", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.customer} · {self.date}"

    def clean(self) -> None:
        deal = self.deal if self.deal_id else None
        if deal is not None and deal.customer_id not in (None, self.customer_id):
            raise ValidationError({"deal": _("This deal belongs to another customer.")})
