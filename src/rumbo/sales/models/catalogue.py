from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.sales.models import invariants
from rumbo.tenancy.models import CURRENCY_CHOICES, TenantModel
from rumbo.tenancy.scoping import CATALOGUE
from rumbo.tenancy.versions import Versioned


class Product(Versioned, TenantModel):
    """An item of the organisation's catalogue (readable by all, written by admins)."""

    sku = models.CharField(_("SKU"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=80, blank=True)
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    scope_owner = CATALOGUE

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sku"], name="product_unique_sku"),
            *invariants.PRODUCT,
        ]

    def __str__(self) -> str:
        return self.name


class Technique(Versioned, TenantModel):
    """A selling approach of the organisation's catalogue (consultative, SPIN, ...)."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_owner = CATALOGUE

    class Meta:
        verbose_name = _("sales technique")
        verbose_name_plural = _("sales techniques")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="technique_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(Versioned, TenantModel):
    """How many units of the organisation's base currency one unit of `currency`
    was worth on `date`. Deals convert at the latest rate on or before their close."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )  # fmt: skip

    scope_owner = CATALOGUE

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "currency", "date"], name="rate_unique_day"
            ),
            *invariants.EXCHANGE_RATE,
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.rate}"
