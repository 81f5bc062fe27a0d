"""Care plans (ordered steps, each due some time after a trigger) and the
follow-ups they schedule for a customer, with the history of each follow-up.

A plan is the organisation's catalogue (everyone reads, admins write); a
follow-up belongs to the member it is assigned to, like an activity."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.care import choices
from rumbo.sales.models import Activity, Customer, Deal
from rumbo.tenancy import scoping
from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.versions import Versioned


class CarePlan(Versioned, TenantModel):
    """What happens after a trigger, step by step. A plan for a segment or a
    product category is chosen before the organisation's default."""

    name = models.CharField(_("name"), max_length=120)
    trigger = models.CharField(_("starts when"), max_length=20, choices=choices.Trigger.choices,
                               default=choices.Trigger.DEAL_WON)  # fmt: skip
    segment = models.CharField(
        _("for the segment"), max_length=60, blank=True,
        help_text=_("Customers of this segment only (as written on the customer). Empty: any."),
    )  # fmt: skip
    category = models.CharField(
        _("for the product category"), max_length=80, blank=True,
        help_text=_("Deals with a product of this category only. Empty: any."),
    )  # fmt: skip
    is_default = models.BooleanField(
        _("default plan"), default=False,
        help_text=_("Used when no plan for the customer's segment or the deal's products applies."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    scope_owner = scoping.CATALOGUE

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="care_plan_unique_name"),
            models.UniqueConstraint(
                fields=["organization", "trigger"], condition=Q(is_default=True, active=True),
                name="care_plan_one_default_per_trigger",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class CareStep(models.Model):
    """One step of a plan: `delay_count` `delay_unit` after the trigger."""

    scope_through = "plan"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("what"), max_length=10, choices=choices.StepKind.choices)
    title = models.CharField(_("title"), max_length=120)
    delay_count = models.PositiveSmallIntegerField(_("after"))
    delay_unit = models.CharField(_("unit"), max_length=6, choices=choices.DelayUnit.choices,
                                  default=choices.DelayUnit.DAYS)  # fmt: skip
    assignee = models.CharField(_("assigned to"), max_length=10,
                                choices=choices.Assignee.choices,
                                default=choices.Assignee.OWNER)  # fmt: skip

    class Meta:
        verbose_name = _("care step")
        verbose_name_plural = _("care steps")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUp(Versioned, TenantModel):
    """Something to do for a customer by a day: from a plan's step, or added
    by hand. Done with an activity recorded; cancelled when its plan stops."""

    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="follow_ups",
                              verbose_name=_("assigned to"))  # fmt: skip
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="follow_ups",
                                 verbose_name=_("customer"))  # fmt: skip
    # A deal removed takes its follow-ups along (a deal with activities cannot be removed).
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="follow_ups", verbose_name=_("deal"))  # fmt: skip
    step = models.ForeignKey(CareStep, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="follow_ups", verbose_name=_("plan step"))  # fmt: skip
    kind = models.CharField(_("what"), max_length=10, choices=choices.StepKind.choices)
    title = models.CharField(_("title"), max_length=120)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=choices.Status.choices,
                              default=choices.Status.OPEN)  # fmt: skip
    done_on = models.DateField(_("done on"), null=True, blank=True)
    activity = models.OneToOneField(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up",
        verbose_name=_("activity"),
    )  # fmt: skip
    stop_reason = models.CharField(_("why it stopped"), max_length=20, blank=True,
                                   choices=choices.StopReason.choices)  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_owner = "owner"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["organization", "owner", "status", "due_on"]),
            models.Index(fields=["organization", "customer", "status"]),
            models.Index(fields=["organization", "status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.Status.DONE) | Q(done_on__isnull=False),
                name="care_follow_up_done_has_date",
            ),
            # A step is scheduled once per deal: starting a plan twice adds nothing.
            models.UniqueConstraint(
                fields=["deal", "step"],
                name="care_follow_up_once_per_step",
                condition=Q(deal__isnull=False, step__isnull=False),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.customer}"


class FollowUpChange(models.Model):
    """The history of a follow-up: rescheduled (from → to), done, cancelled."""

    scope_through = "follow_up"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))  # fmt: skip
    what = models.CharField(_("what"), max_length=12)
    due_before = models.DateField(_("was due"), null=True, blank=True)
    due_after = models.DateField(_("now due"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("follow-up change")
        verbose_name_plural = _("follow-up changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.follow_up_id}: {self.what}"
