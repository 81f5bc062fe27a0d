"""Rollup facts: additive components pre-aggregated per rep × day and rep × month,
the first fact of each partition (a customer's first won deal), and the queue of
(rep, day) keys waiting for a refresh.

The rollup tables are wide: one column per registered component (see
docs/decisions/0004-rollups.md). A component registered without its column is
reported by the system check `metrics.E001` at start-up. Every row is derived
data: `rumbo metrics rebuild` recreates all of an organisation's rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member, Organization, TenantModel
from rumbo.tenancy.scoping import CATALOGUE


def count() -> models.IntegerField:  # type: ignore[type-arg]
    """Counts per rep-day and rep-month fit four bytes; narrow rows read faster."""
    return models.IntegerField(default=0)


def amount() -> models.DecimalField:  # type: ignore[type-arg]
    """Money and other decimal sums (hours): four places keep the hours exact
    enough; money sums are whole cents anyway."""
    return models.DecimalField(max_digits=22, decimal_places=4, default=0)


def derived_fk(to: type[models.Model]) -> models.ForeignKey:  # type: ignore[type-arg]
    """A reference from derived rows: no database constraint and no index of its
    own (the primary key leads with it), so that a rebuild writing millions of
    rows does not check two foreign keys per row. Deleting the member still
    deletes their rows (Django's collector does it)."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )


class Components(models.Model):
    """The component columns, shared by the day and month rollups. Their names are
    the keys the apps register (`won_amount`, `csat_responses`, ...)."""

    won_amount = amount()
    deals_won = count()
    deals_lost = count()
    cycle_days_sum = count()
    cycle_deals = count()  # won deals with a creation date: the sales cycle's divisor
    first_purchases = count()
    first_amount = amount()
    activities = count()
    csat_responses = count()
    csat_positive = count()
    csat_score_sum = count()
    nps_responses = count()
    nps_promoters = count()
    nps_detractors = count()
    complaints_opened = count()
    complaints_resolved = count()
    resolution_hours_sum = amount()
    complaints_in_sla = count()
    followups_done = count()  # care: follow-ups done, on the day done
    followups_on_time = count()  # care: of those, done by their due date
    won_deals_followed = count()  # care: won deals with a follow-up done

    class Meta:
        abstract = True


class RollupDay(TenantModel, Components):
    """One rep's components on one day (the day a figure is attributed to)."""

    pk = models.CompositePrimaryKey("organization", "member", "day")
    organization = derived_fk(Organization)
    member = derived_fk(Member)
    day = models.DateField(_("day"))

    scope_owner = "member"

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        indexes = [models.Index(fields=["organization", "day"], name="metrics_day_org_day")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day}"


class RollupMonth(TenantModel, Components):
    """One rep's components over one calendar month (`month` is its first day)."""

    pk = models.CompositePrimaryKey("organization", "member", "month")
    organization = derived_fk(Organization)
    member = derived_fk(Member)
    month = models.DateField(_("month"))

    scope_owner = "member"

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        indexes = [models.Index(fields=["organization", "month"], name="metrics_month_org_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"


class FirstFact(TenantModel):
    """The first fact of a partition in a registered order, e.g. a customer's first
    won deal by close date then id. Kept so that a refresh knows which rep-day a
    partition's first fact sat on before a write moved or removed it."""

    pk = models.CompositePrimaryKey("organization", "source", "partition_id")
    source = models.CharField(max_length=40)
    partition_id = models.BigIntegerField()
    fact_id = models.BigIntegerField()
    organization = derived_fk(Organization)
    member = derived_fk(Member)
    day = models.DateField()
    value = models.DecimalField(max_digits=22, decimal_places=4, default=0)

    scope_owner = "member"  # derived from a rep's deals, as the rollups

    class Meta:
        verbose_name = _("first fact")
        verbose_name_plural = _("first facts")
        indexes = [
            models.Index(
                fields=["organization", "source", "member", "day"], name="metrics_first_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.partition_id}: {self.fact_id}"


class DirtyKey(models.Model):
    """A (rep, day) whose rollups must be recomputed. Written in the transaction
    that changed the facts, consumed by the refresh after commit; a refresh that
    never ran (a crash) leaves its keys here for `rumbo metrics refresh`."""

    organization_id = models.BigIntegerField()
    member_id = models.BigIntegerField()
    day = models.DateField()
    # Set on the month keys of a refresh: the rep's days from `day` to `last_day`.
    last_day = models.DateField(null=True)
    batch = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("key to refresh")
        verbose_name_plural = _("keys to refresh")
        indexes = [
            models.Index(fields=["organization_id", "batch"], name="metrics_dirty_batch"),
            models.Index(fields=["batch", "member_id", "day"], name="metrics_dirty_key"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day}"


class ScorecardMetric(TenantModel):
    """One metric of an organisation's balanced scorecard: its weight, its target
    (per rep per month for running totals, taken as is for rates and scores;
    the metric declares which, `Metric.period_target`). Attainment counts up
    to 100 % (docs/decisions/0012). An organisation without rows uses the
    defaults in `metrics.scorecards.DEFAULTS`. Readable by everybody in the
    organisation, written by its admins (`scorecard_update`)."""

    metric = models.CharField(_("metric"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope_owner = CATALOGUE  # the whole organisation reads it

    class Meta:
        verbose_name = _("scorecard metric")
        verbose_name_plural = _("scorecard metrics")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "metric"], name="metrics_scorecard_unique_metric"
            ),
        ]

    def __str__(self) -> str:
        return self.metric
