"""Goals on a timeline: a target for one metric over a period, owned by a rep,
a team or the organisation, with optional milestones, a cascade from a team
goal to its members, and a progress row per day (the history people look back
on). See docs/goals.md and docs/decisions/0006-goals.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rumbo.metrics import registry
from rumbo.metrics.periods import EARLIEST, LATEST
from rumbo.tenancy.models import Member, Team, TenantModel
from rumbo.tenancy.scoping import member_filter, visible_team_ids
from rumbo.tenancy.versions import Versioned

# A goal spans at most this many years: its timeline (a progress row per day,
# the chart, the forecast) is work in proportion to its length.
GOAL_MAX_YEARS = 10


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Level(models.TextChoices):
    REP = "rep", _("Rep")
    TEAM = "team", _("Team")
    ORGANIZATION = "organization", _("Organisation")


class State(models.TextChoices):
    """A rep's own proposal waits for a manager; everything else is active."""

    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")


def validate_metric(value: str) -> None:
    metric = registry.get_metric(value)
    if metric is None or not metric.additive:
        raise ValidationError(_("Choose a metric that goals can measure."))


class Goal(Versioned, TenantModel):
    """A target for one metric between two dates. A rep goal names `member`, a
    team goal `team` (its figures cover every team below it), an organisation
    goal neither. A goal cascaded from a team goal names it as `parent`."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    metric = models.CharField(_("metric"), max_length=40, validators=[validate_metric])
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="goals",
        verbose_name=_("rep"),
    )  # fmt: skip
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="goals",
        verbose_name=_("team"),
    )  # fmt: skip
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="shares",
        verbose_name=_("cascaded from"),
    )  # fmt: skip
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    state = models.CharField(_("approval"), max_length=10, choices=State.choices,
                             default=State.ACTIVE)  # fmt: skip
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))  # fmt: skip
    decided_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_owner = "member"

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["end", "id"]
        indexes = [
            models.Index(fields=["organization", "state", "end"]),
            models.Index(fields=["organization", "member"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")),
                                   name="goal_start_before_end"),  # fmt: skip
            models.CheckConstraint(condition=Q(member__isnull=True) | Q(team__isnull=True),
                                   name="goal_one_owner"),  # fmt: skip
            # Zero is a target (no complaints); below zero is not (clean() says so too).
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_not_negative",
                                   violation_error_message=_(
                                       "Enter a target of zero or more.")),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.name or f"{self.metric_label} · {self.owner_name}"

    @staticmethod
    def scope_rule(member: Member) -> Q:
        """A rep sees their own goals and their team's; a manager also the goals
        of everyone and every team below them, and the organisation's goals."""
        if member.role == "manager":
            return (member_filter(member, "member")
                    | Q(team_id__in=visible_team_ids(member))
                    | Q(member__isnull=True, team__isnull=True))  # fmt: skip
        mine = Q(member_id=member.pk)
        return mine | Q(team_id=member.team_id) if member.team_id else mine

    def get_absolute_url(self) -> str:
        return reverse("goals:goal_detail", args=[self.pk])

    @staticmethod
    def write_rule(member: Member, goal: Goal) -> bool:
        """Who may change a goal is the services' business (setting vs proposing)."""
        from rumbo.goals.services import can_propose, can_set

        return can_set(member, goal) or can_propose(member, goal)

    @property
    def level(self) -> str:
        if self.member_id:
            return Level.REP
        return Level.TEAM if self.team_id else Level.ORGANIZATION

    @property
    def definition(self) -> registry.Metric:
        metric = registry.get_metric(self.metric)
        assert metric is not None, self.metric
        return metric

    @property
    def metric_label(self) -> str:
        metric = registry.get_metric(self.metric)
        return str(metric.label) if metric else self.metric

    def get_metric_display(self) -> str:
        """The metric's label, so detail pages show it rather than its key."""
        return self.metric_label

    @property
    def owner_name(self) -> str:
        if self.member_id:
            return self.member.name  # type: ignore[union-attr]
        if self.team_id:
            return self.team.name  # type: ignore[union-attr]
        return str(_("Organisation"))

    def bounds_errors(self) -> dict[str, Any]:
        """Days outside EARLIEST–LATEST, an end before the start, a span over
        GOAL_MAX_YEARS: field -> message (empty when the dates are fine)."""
        for name in ("start", "end"):
            day = getattr(self, name)
            if day and not EARLIEST <= day <= LATEST:
                return {name: _("Choose a day between %(earliest)s and %(latest)s.")
                        % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}}
        if self.start and self.end and self.start > self.end:
            return {"end": _("The end comes before the start.")}
        if self.start and self.end and self.end >= years_after(self.start, GOAL_MAX_YEARS):
            return {"end": _("A goal spans at most %(years)d years.") % {"years": GOAL_MAX_YEARS}}
        return {}

    def clean(self) -> None:
        errors = self.bounds_errors()
        if errors:
            raise ValidationError(errors)
        if self.target is not None and self.target < 0:
            raise ValidationError({"target": _("Enter a target of zero or more.")})


class Milestone(models.Model):
    """An intermediate target on the way: by `day`, the goal should be at `target`."""

    # Read only through its goal (tenancy/checks.py, ADR 0015).
    scope_through = "goal"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    day = models.DateField(_("date"))
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "day"], name="milestone_one_per_day"),
            models.CheckConstraint(condition=Q(target__gte=0), name="milestone_target_not_negative",
                                   violation_error_message=_(
                                       "Enter milestone targets of zero or more.")),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.target}"


class Progress(models.Model):
    """Where a goal stood at the end of one day: the value so far, where it
    should have been (pace), the forecast of its end value with an 80 % band,
    the probability of reaching the target, and the status that follows."""

    # Read only through its goal (tenancy/checks.py, ADR 0015).
    scope_through = "goal"

    pk = models.CompositePrimaryKey("goal", "day")
    # The primary key's index leads with the goal: a second index on it would
    # only slow the daily job's 200,000 inserts.
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress",
                             db_constraint=False, db_index=False)  # fmt: skip
    day = models.DateField(_("date"))
    actual = models.DecimalField(_("actual"), max_digits=18, decimal_places=2, null=True)
    expected = models.DecimalField(_("pace"), max_digits=18, decimal_places=2, null=True)
    forecast = models.DecimalField(_("forecast"), max_digits=18, decimal_places=2, null=True)
    low = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    high = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    probability = models.DecimalField(_("probability"), max_digits=5, decimal_places=4,
                                      null=True)  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.day}: {self.actual}"
