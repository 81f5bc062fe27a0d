"""The demo's notifications: a believable few weeks of them for everyone, made
by the same notification code as real events, from the demo's own records.

Setting the goals already told the manager of the rep's proposal
(goals.signals). Here, for the weeks before today: the goals recorded once a
week, as the job would have (a goal that turned at risk or off track tells its
owner on that day; today is recorded again after them, so only a change since
tells anyone), each complaint opened on a rep's customer (escalated when
serious), each survey answered by a detractor, each milestone reached or
missed. Then what people did with them: older notices mostly read, every
notice of a past day emailed in the next morning's digest."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from rumbo.goals.models import Milestone, Progress, State
from rumbo.goals.progress import goals_recompute
from rumbo.notifications.feedback_events import complaint_notify, survey_notify
from rumbo.notifications.goal_events import progress_notify
from rumbo.notifications.models import Kind, Notification
from rumbo.notifications.services import notification_mark_read, unread_recount
from rumbo.sales.models import Complaint, SurveyResponse
from rumbo.tenancy.models import Organization

WEEKS = 6
DIGEST_HOUR = 7
PEOPLE = ("customer__owner__user", "customer__owner__organization", "rep__user",
          "rep__organization", "customer")  # fmt: skip


def demo_notices(*, organization: Organization, today: dt.date, seed: str) -> int:
    """Write the organisation's notification history; returns how many notices it holds."""
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    since = today - dt.timedelta(weeks=WEEKS)
    _weekly_progress(organization, since, today)
    start = dt.datetime.combine(since, dt.time(), zone)
    complaints = Complaint.objects.filter(organization=organization, opened_at__gte=start)
    for complaint in complaints.select_related(*PEOPLE).order_by("opened_at", "pk"):
        complaint_notify(complaint=complaint, actor=None, creating=True, at=complaint.opened_at)
    responses = SurveyResponse.objects.filter(organization=organization, responded_on__gte=since,
                                              responded_on__lt=today)  # fmt: skip
    for response in responses.select_related(*PEOPLE).order_by("responded_on", "pk"):
        noon = dt.datetime.combine(response.responded_on, dt.time(12), zone)
        survey_notify(response=response, actor=None, at=noon + _minutes(response.pk))
    _milestones(organization, since, today)
    _settle(organization, today, zone, random.Random(f"{seed}:notices"))
    return Notification.objects.filter(organization=organization).count()


def _weekly_progress(organization: Organization, since: dt.date, today: dt.date) -> None:
    """The goals recorded on the same weekday of each past week, then today again."""
    today_notices = Notification.objects.filter(organization=organization, day=today,
                                                kind=Kind.GOAL_STATUS)  # fmt: skip
    told = set(today_notices.values_list("recipient_id", flat=True))
    today_notices.delete()  # said before last week's status was known: said again if due
    unread_recount(member_ids=told)
    day = since
    while day < today:
        goals_recompute(organization=organization, day=day)
        day += dt.timedelta(days=7)
    goals_recompute(organization=organization, day=today)


def _minutes(pk: int) -> dt.timedelta:
    return dt.timedelta(minutes=pk * 37 % 300)  # spread over the afternoon


def _milestones(organization: Organization, since: dt.date, today: dt.date) -> None:
    """Each milestone of the last weeks judged as the job would have on the day:
    reached the first day the goal got there, else missed the day after."""
    stones = Milestone.objects.filter(goal__organization=organization, day__gte=since,
                                      day__lt=today, goal__state=State.ACTIVE)  # fmt: skip
    for goal_id, day, target in stones.values_list("goal_id", "day", "target"):
        reached = Progress.objects.filter(goal_id=goal_id, day__lte=day, actual__gte=target)
        first = reached.aggregate(day=Min("day"))["day"]
        judged = first if first is not None else day + dt.timedelta(days=1)
        actual = (Progress.objects.filter(goal_id=goal_id, day=judged)
                  .values_list("actual", flat=True).first())  # fmt: skip
        row = (goal_id, judged, actual if actual is not None else Decimal(0),
               None, None, None, None, None, "")  # fmt: skip
        progress_notify(organization=organization, rows=[row])


def _settle(organization: Organization, today: dt.date, zone: zoneinfo.ZoneInfo,
            rng: random.Random) -> None:  # fmt: skip
    """A notice made for a past day was written that day (not while the demo
    was built), went out in the next morning's digest, and was most likely
    read since; those of the last two days mostly wait, unread."""
    past = Notification.objects.filter(organization=organization, day__lt=today)
    for notice in past.select_related("recipient__user").order_by("day", "pk"):
        made = notice.created_at.astimezone(zone)
        if made.date() != notice.day:
            made = dt.datetime.combine(notice.day, dt.time(9), zone) + _minutes(notice.pk)
        digest = dt.datetime.combine(notice.day + dt.timedelta(days=1), dt.time(DIGEST_HOUR),
                                     zone)  # fmt: skip
        emailed = digest if notice.recipient.user_id is not None else None
        Notification.objects.filter(pk=notice.pk).update(created_at=made, emailed_at=emailed)
        notice.created_at = made
        fresh = (today - notice.day).days <= 2
        if rng.random() < (0.3 if fresh else 0.85):
            read = min(made + dt.timedelta(hours=rng.uniform(1, 30)), timezone.now())
            notification_mark_read(actor=notice.recipient, notification=notice, at=read)
