"""The rules at work: from what happened (progress recorded on goals, a
survey answer or complaint saved, won deals written), find who earned which
badge and award it through `services.badge_award` (once per thing, only
under a rule the organisation has on). The same functions sweep a period
afterwards (the daily job, the demo): awarding again is harmless."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from rumbo.goals.models import Goal, Milestone, State
from rumbo.metrics import registry
from rumbo.metrics.models import ScorecardMetric
from rumbo.recognition import rules
from rumbo.recognition.services import badge_award, enabled_rules
from rumbo.sales.choices import ComplaintStatus, Outcome, SurveyKind
from rumbo.sales.models import Complaint, Deal, SurveyResponse
from rumbo.tenancy.models import Member, Organization

PROMOTER_FROM = {SurveyKind.NPS: 9, SurveyKind.CSAT: 5}
GOAL_RULES = {"milestone", "goal_achieved"}
DEAL_RULES = {"repeat_customer", "recovered_customer"}


def _meets(value: Decimal | None, target: Decimal, higher: bool) -> bool:
    if value is None:
        return False
    return value >= target if higher else value <= target


def progress_award(*, organization: Organization, rows: Iterable[Sequence[Any]]) -> int:
    """Progress rows (goal id, day, value, …) of active goals of a person: a
    goal that reaches its target (a running total the day it gets there, any
    other figure on or after its last day), and a milestone met (a running
    total by its day, any other figure on its day). Returns badges awarded."""
    on = enabled_rules(organization.pk)
    by_goal = {row[0]: (row[1], row[2]) for row in rows}
    if not by_goal or not (on & GOAL_RULES):
        return 0
    goals = Goal.objects.filter(organization=organization, pk__in=list(by_goal),
                                member__isnull=False, state=State.ACTIVE)  # fmt: skip
    goals = goals.select_related("member__organization", "member__user")
    stones: dict[int, list[Milestone]] = {}
    for stone in Milestone.objects.filter(goal__in=goals):
        stones.setdefault(stone.goal_id, []).append(stone)
    awarded = 0
    for goal in goals:
        metric = registry.get_metric(goal.metric)
        day, value = by_goal[goal.pk]
        if metric is None or value is None or not (goal.start <= day):
            continue
        higher, running = (
            metric.direction == "higher",
            metric.cumulative and metric.direction == "higher",
        )
        link = goal.get_absolute_url()
        member: Member = goal.member  # type: ignore[assignment]
        if _meets(value, goal.target, higher) and (running and day <= goal.end or day >= goal.end):
            key = f"goal:{goal.pk}"
            awarded += badge_award(member=member, rule="goal_achieved", subject_key=key,
                                   day=min(day, goal.end), link=link,
                                   enabled=on) is not None  # fmt: skip
        for stone in stones.get(goal.pk, []):
            reached = (day <= stone.day) if running else (day == stone.day)
            if reached and _meets(value, stone.target, higher):
                key = f"goal:{goal.pk}:milestone:{stone.day.isoformat()}"
                awarded += badge_award(member=member, rule="milestone", subject_key=key, day=day,
                                       link=link, enabled=on) is not None  # fmt: skip
    return awarded


def survey_award(*, response: SurveyResponse, at: dt.datetime | None = None) -> int:
    """A promoter's answer (NPS 9–10, CSAT 5): the rep's badge, once per customer."""
    limit = PROMOTER_FROM.get(response.kind)  # type: ignore[call-overload]
    if limit is None or response.score is None or response.score < limit:
        return 0
    link = reverse("sales:surveyresponse_detail", args=[response.pk])
    return int(badge_award(member=response.rep, rule="promoter", day=response.responded_on,
                           subject_key=f"customer:{response.customer_id}", link=link,
                           at=at) is not None)  # fmt: skip


def csat_target(organization_id: int) -> Decimal:
    """The organisation's scorecard target for CSAT, else the rule's default."""
    row = ScorecardMetric.objects.filter(organization_id=organization_id, metric="csat").first()
    return row.target if row is not None else rules.CSAT_DEFAULT_TARGET


def csat_months_award(*, organization: Organization, month: dt.date,
                      member_ids: Iterable[int] | None = None) -> int:  # fmt: skip
    """A calendar month (`month` is its first day) whose CSAT met the target
    for a rep, with at least CSAT_MIN_RESPONSES answers: the rep's badge."""
    on = enabled_rules(organization.pk)
    if "csat_month" not in on:
        return 0
    end = (month + dt.timedelta(days=32)).replace(day=1)
    answers = SurveyResponse.objects.filter(
        organization=organization, kind=SurveyKind.CSAT, responded_on__gte=month,
        responded_on__lt=end,
    )  # fmt: skip
    if member_ids is not None:
        answers = answers.filter(rep_id__in=list(member_ids))
    target = csat_target(organization.pk)
    rows = answers.values("rep_id").annotate(
        n=Count("id"), good=Count("id", filter=Q(score__gte=4))
    )
    winners = [
        r["rep_id"] for r in rows
        if r["n"] >= rules.CSAT_MIN_RESPONSES and Decimal(100 * r["good"]) / r["n"] >= target
    ]  # fmt: skip
    awarded = 0
    last = end - dt.timedelta(days=1)
    for member in Member.objects.filter(pk__in=winners).select_related("organization", "user"):
        awarded += badge_award(member=member, rule="csat_month", day=last, enabled=on,
                               subject_key=f"csat:{month:%Y-%m}") is not None  # fmt: skip
    return awarded


def deals_award(*, organization_id: int, keys: Iterable[tuple[Any, Any]]) -> int:
    """Won deals of these (rep, close day) keys: a returning customer (one who
    had already bought: once per customer and rep) and a recovered one (a
    complaint of theirs resolved before this purchase: once per complaint)."""
    on = enabled_rules(organization_id)
    keys = {(m, d) for m, d in keys if m is not None and d is not None}
    if not keys or not (on & DEAL_RULES):
        return 0
    reps, days = {m for m, _d in keys}, {d for _m, d in keys}
    won = (Deal.objects.filter(organization_id=organization_id, outcome=Outcome.WON,
                               owner_id__in=reps, closed_on__in=days, customer__isnull=False)
           .select_related("owner__organization", "owner__user")
           .order_by("closed_on", "pk"))  # fmt: skip
    awarded = 0
    for deal in won:
        if (deal.owner_id, deal.closed_on) not in keys:
            continue
        awarded += _deal_badges(deal, on)
    return awarded


def _deal_badges(deal: Deal, on: frozenset[str]) -> int:
    assert deal.closed_on is not None and deal.customer_id is not None
    link = reverse("sales:deal_detail", args=[deal.pk])
    earlier = Deal.objects.filter(customer_id=deal.customer_id, outcome=Outcome.WON).filter(
        Q(closed_on__lt=deal.closed_on) | Q(closed_on=deal.closed_on, pk__lt=deal.pk)
    )
    awarded = 0
    if "repeat_customer" in on and earlier.exists():
        awarded += badge_award(member=deal.owner, rule="repeat_customer", day=deal.closed_on,
                               subject_key=f"customer:{deal.customer_id}", link=link,
                               enabled=on) is not None  # fmt: skip
    if "recovered_customer" in on:
        zone = zoneinfo.ZoneInfo(deal.owner.organization.time_zone)
        before = dt.datetime.combine(deal.closed_on, dt.time(), zone)
        resolved = Complaint.objects.filter(customer_id=deal.customer_id,
                                            status=ComplaintStatus.RESOLVED,
                                            resolved_at__lt=before)  # fmt: skip
        for complaint_id in resolved.values_list("pk", flat=True):
            awarded += badge_award(member=deal.owner, rule="recovered_customer",
                                   day=deal.closed_on, subject_key=f"complaint:{complaint_id}",
                                   link=link, enabled=on) is not None  # fmt: skip
    return awarded


def complaint_award(*, complaint: Complaint) -> int:
    """A complaint resolved after the customer's latest purchase cannot yet be
    a recovery; one resolved before a purchase already recorded (the deal
    was entered late) is: award it for that purchase now."""
    if complaint.status != ComplaintStatus.RESOLVED or complaint.resolved_at is None:
        return 0
    after = (Deal.objects.filter(customer_id=complaint.customer_id, outcome=Outcome.WON,
                                 closed_on__gt=complaint.resolved_at.date())
             .values_list("owner_id", "closed_on"))  # fmt: skip
    return deals_award(organization_id=complaint.organization_id, keys=list(after))


def sweep(*, organization: Organization, since: dt.date, today: dt.date) -> int:
    """Every rule over a past period (the daily job over yesterday, the demo
    over its weeks): promoters, CSAT months that ended, won deals. Goals are
    awarded as their progress is recorded. Returns badges awarded."""
    awarded = 0
    promoters = SurveyResponse.objects.filter(
        organization=organization, responded_on__gte=since, responded_on__lte=today
    ).filter(Q(kind=SurveyKind.NPS, score__gte=9) | Q(kind=SurveyKind.CSAT, score__gte=5))
    if "promoter" in enabled_rules(organization.pk):
        for response in promoters.select_related("rep__organization", "rep__user").order_by(
            "responded_on", "pk"
        ):
            awarded += survey_award(response=response)
    # Every month that ended since `since`, and always the last one that ended.
    this_month = today.replace(day=1)
    month = min(since, this_month - dt.timedelta(days=1)).replace(day=1)
    while month < this_month:
        awarded += csat_months_award(organization=organization, month=month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    keys = (Deal.objects.filter(organization=organization, outcome=Outcome.WON,
                                closed_on__gte=since, closed_on__lte=today)
            .values_list("owner_id", "closed_on").distinct())  # fmt: skip
    awarded += deals_award(organization_id=organization.pk, keys=list(keys))
    return awarded
