"""The fact rules as check constraints (ADR 0015). Before adding them: clear
the two things Rumbo's rules say have one answer (the close date of an open
deal, the loss reason of a deal not lost), then list every other row that
breaks a rule and stop, changing nothing. A creation date becomes optional: an
import that gives none leaves it empty."""

from django.db import migrations, models
from django.db.models import Q

from rumbo.sales.migrations._invariants import prepare

REPAIRS = [
    ("deal", Q(outcome="open"), "closed_on", None, "cleared the close date of open deals"),
    ("deal", ~Q(outcome="lost"), "loss_reason", "", "cleared the loss reason of deals not lost"),
]


CONSTRAINTS = [
    migrations.AddConstraint(
        model_name="complaint",
        constraint=models.CheckConstraint(
            condition=models.Q(
                ("resolved_at__isnull", True),
                ("resolved_at__gte", models.F("opened_at")),
                _connector="OR",
            ),
            name="complaint_not_resolved_before_opened",
            violation_error_message="It cannot be resolved before it was opened.",
        ),
    ),
    migrations.AddConstraint(
        model_name="complaint",
        constraint=models.CheckConstraint(
            condition=models.Q(
                models.Q(("resolved_at__isnull", False), ("status", "resolved")),
                models.Q(
                    models.Q(("status", "resolved"), _negated=True), ("resolved_at__isnull", True)
                ),
                _connector="OR",
            ),
            name="complaint_resolved_iff_resolution_time",
            violation_error_message="A resolved complaint needs its resolution time, and only a resolved one has it.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(("amount__gte", 0)),
            name="deal_amount_not_negative",
            violation_error_message="The amount cannot be negative.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(
                ("amount_base__isnull", True), ("amount_base__gte", 0), _connector="OR"
            ),
            name="deal_base_amount_not_negative",
            violation_error_message="The amount in base currency cannot be negative.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(
                models.Q(("closed_on__isnull", True), ("outcome", "open")),
                models.Q(("closed_on__isnull", False), ("outcome__in", ("won", "lost"))),
                _connector="OR",
            ),
            name="deal_closed_iff_close_date",
            violation_error_message="A won or lost deal needs a close date, and an open deal has none yet.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(
                models.Q(("outcome__in", ("won", "lost")), _negated=True),
                ("customer__isnull", False),
                _connector="OR",
            ),
            name="deal_closed_has_customer",
            violation_error_message="A won or lost deal needs a customer.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(
                ("created_on__isnull", True),
                ("closed_on__isnull", True),
                ("closed_on__gte", models.F("created_on")),
                _connector="OR",
            ),
            name="deal_not_closed_before_created",
            violation_error_message="The close date cannot be before the creation date.",
        ),
    ),
    migrations.AddConstraint(
        model_name="deal",
        constraint=models.CheckConstraint(
            condition=models.Q(("loss_reason", ""), ("outcome", "lost"), _connector="OR"),
            name="deal_loss_reason_only_lost",
            violation_error_message="Only a lost deal has a loss reason.",
        ),
    ),
    migrations.AddConstraint(
        model_name="dealline",
        constraint=models.CheckConstraint(
            condition=models.Q(("quantity__gt", 0)),
            name="deal_line_quantity_positive",
            violation_error_message="The quantity must be positive.",
        ),
    ),
    migrations.AddConstraint(
        model_name="dealline",
        constraint=models.CheckConstraint(
            condition=models.Q(("unit_price__gte", 0)),
            name="deal_line_price_not_negative",
            violation_error_message="The unit price cannot be negative.",
        ),
    ),
    migrations.AddConstraint(
        model_name="surveyresponse",
        constraint=models.CheckConstraint(
            condition=models.Q(
                models.Q(("kind", "csat"), ("score__gte", 1), ("score__lte", 5)),
                models.Q(("kind", "nps"), ("score__gte", 0), ("score__lte", 10)),
                _connector="OR",
            ),
            name="survey_score_in_range",
            violation_error_message="A CSAT score is from 1 to 5 and an NPS score from 0 to 10.",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0005_customer_employee_count"),
        ("tenancy", "0006_organization_version"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="deal",
            options={
                "ordering": [
                    models.OrderBy(models.F("created_on"), descending=True, nulls_last=True),
                    "-id",
                ],
                "verbose_name": "deal",
                "verbose_name_plural": "deals",
            },
        ),
        migrations.AlterField(
            model_name="deal",
            name="created_on",
            field=models.DateField(blank=True, null=True, verbose_name="created on"),
        ),
        # Reversed, the rows stay as they are: they break no rule.
        migrations.RunPython(prepare("sales", CONSTRAINTS, REPAIRS), migrations.RunPython.noop),
        *CONSTRAINTS,
    ]
