"""The fact rules the database itself enforces (ADR 0015), so that no write —
a form, the API, an import's bulk path, the demo's raw inserts, a shell — can
store a row the figures would misread. The models' `clean()` says the same
rules to a person; these are the last word.

Each condition is written so that it is never NULL (an explicit IS NULL branch
for every nullable column), so "the rows breaking it" is exactly
`Model.objects.exclude(condition)`, which the migration adding them reports."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

OPEN, WON, LOST = "open", "won", "lost"
CLOSED = (WON, LOST)


def check(name: str, condition: Q, message: object) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=message,  # type: ignore[arg-type]
    )


DEAL: list[models.BaseConstraint] = [
    check(
        "deal_amount_not_negative",
        Q(amount__gte=0),
        _("The amount cannot be negative."),
    ),
    check(
        "deal_base_amount_not_negative",
        Q(amount_base__isnull=True) | Q(amount_base__gte=0),
        _("The amount in base currency cannot be negative."),
    ),
    # Won and lost deals count on their close date; an open deal has none yet.
    check(
        "deal_closed_iff_close_date",
        Q(outcome=OPEN, closed_on__isnull=True) | Q(outcome__in=CLOSED, closed_on__isnull=False),
        _("A won or lost deal needs a close date, and an open deal has none yet."),
    ),
    # Repeat purchases and new customers are counted per customer.
    check(
        "deal_closed_has_customer",
        ~Q(outcome__in=CLOSED) | Q(customer__isnull=False),
        _("A won or lost deal needs a customer."),
    ),
    check(
        "deal_not_closed_before_created",
        Q(created_on__isnull=True) | Q(closed_on__isnull=True) | Q(closed_on__gte=F("created_on")),
        _("The close date cannot be before the creation date."),
    ),
    check(
        "deal_loss_reason_only_lost",
        Q(loss_reason="") | Q(outcome=LOST),
        _("Only a lost deal has a loss reason."),
    ),
]

# No discounts or credit lines exist: a line is a positive quantity at a price
# of zero (a free item) or more; a discount is a lower unit price.
DEAL_LINE: list[models.BaseConstraint] = [
    check("deal_line_quantity_positive", Q(quantity__gt=0), _("The quantity must be positive.")),
    check(
        "deal_line_price_not_negative",
        Q(unit_price__gte=0),
        _("The unit price cannot be negative."),
    ),
]

PRODUCT: list[models.BaseConstraint] = [
    check(
        "product_price_not_negative",
        Q(list_price__gte=0),
        _("The list price cannot be negative."),
    ),
]

# Amounts are multiplied by the rate: zero or less would wipe or flip them.
EXCHANGE_RATE: list[models.BaseConstraint] = [
    check("rate_positive", Q(rate__gt=0), _("The rate must be positive.")),
]

SURVEY_RESPONSE: list[models.BaseConstraint] = [
    check(
        "survey_score_in_range",
        Q(kind="csat", score__gte=1, score__lte=5) | Q(kind="nps", score__gte=0, score__lte=10),
        _("A CSAT score is from 1 to 5 and an NPS score from 0 to 10."),
    ),
]

COMPLAINT: list[models.BaseConstraint] = [
    check(
        "complaint_not_resolved_before_opened",
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("opened_at")),
        _("It cannot be resolved before it was opened."),
    ),
    # The resolution figures read resolved complaints by their resolution time.
    check(
        "complaint_resolved_iff_resolution_time",
        Q(status="resolved", resolved_at__isnull=False)
        | (~Q(status="resolved") & Q(resolved_at__isnull=True)),
        _("A resolved complaint needs its resolution time, and only a resolved one has it."),
    ),
]
