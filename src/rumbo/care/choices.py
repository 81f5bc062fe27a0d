"""The words of customer care: what starts a plan, what a step asks the seller
to do, and where a follow-up stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    DEAL_WON = "deal_won", _("A deal is won")
    FIRST_PURCHASE = "first_purchase", _("A customer's first purchase")


class StepKind(models.TextChoices):
    CHECKIN = "checkin", _("Check-in call")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("Visit")
    SURVEY = "survey", _("Satisfaction survey")
    REORDER = "reorder", _("Reorder reminder")
    RENEWAL = "renewal", _("Renewal conversation")


class DelayUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class Assignee(models.TextChoices):
    OWNER = "owner", _("The deal's owner")
    MANAGER = "manager", _("The owner's manager")


class Status(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class StopReason(models.TextChoices):
    BOUGHT_AGAIN = "bought_again", _("The customer bought again")
    DEAL_LOST = "deal_lost", _("The deal is no longer won")
    BY_HAND = "by_hand", _("Cancelled by hand")


class Due(models.TextChoices):
    """The buckets people sort their follow-ups into."""

    OVERDUE = "overdue", _("Overdue")
    TODAY = "today", _("Due today")
    WEEK = "week", _("Due this week")
    LATER = "later", _("Later")
