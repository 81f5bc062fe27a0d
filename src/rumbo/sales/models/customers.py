from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.sales import choices
from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.versions import Versioned


class Customer(Versioned, TenantModel):
    """A business or a consumer who buys; owned by one rep."""

    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=choices.CustomerKind.choices,
        default=choices.CustomerKind.BUSINESS,
    )  # fmt: skip
    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="customers",
        verbose_name=_("owner"),
    )  # fmt: skip
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    size_band = models.CharField(
        _("size"), max_length=10, choices=choices.SizeBand.choices, blank=True
    )
    # The number an import gave, when it gave one (the band is worked out from it).
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO code"))
    region = models.CharField(_("region"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    # Consumer demographics.
    age_band = models.CharField(
        _("age band"), max_length=10, choices=choices.AgeBand.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=12, choices=choices.Gender.choices, blank=True
    )
    income_band = models.CharField(
        _("income band"), max_length=12, choices=choices.IncomeBand.choices, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_owner = "owner"

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="customer_unique_external_id",
            ),  # fmt: skip
        ]
        indexes = [
            models.Index(fields=["organization", "owner"]),
            models.Index(fields=["organization", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(Versioned, TenantModel):
    """A person at a business customer."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    scope_owner = "customer__owner"

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "customer"])]

    def __str__(self) -> str:
        return self.name
