"""Reads of the dashboards. Every figure goes through the asking member's access
scope (`visible_to`); each dashboard costs a fixed number of queries whatever
the data size: goals in one query, metrics from the rollups in two per
grouping (figures.component_totals), lists capped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum, Window
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.care import selectors as care_selectors
from rumbo.dashboards.figures import component_totals, metrics_of, values
from rumbo.dashboards.samples import sample_of
from rumbo.goals import selectors as goal_selectors
from rumbo.goals.models import Goal, State, Status
from rumbo.goals.progress import local_today
from rumbo.metrics.cache import remember
from rumbo.metrics.evaluation import Scope, add_months, month_end
from rumbo.sales.choices import ComplaintStatus, Severity
from rumbo.sales.models import Complaint
from rumbo.tenancy.models import Member, Team
from rumbo.web import formatting

QUALITY = ("csat", "nps", "repeat_rate", "complaint_rate")
TRENDS_MONEY = ("revenue",)
TRENDS_RATES = ("win_rate", "csat")
PERIODS = {"month": gettext_lazy("This month"), "quarter": gettext_lazy("This quarter"),
           "year": gettext_lazy("This year")}  # fmt: skip
TODO_LIMIT = 5


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return str(PERIODS[self.key])


def period_of(key: str | None, today: date) -> Period:
    """This month, quarter (the default) or year, up to its last day."""
    key = key if key in PERIODS else "quarter"
    if key == "month":
        return Period(key, today.replace(day=1), month_end(today))
    if key == "year":
        return Period(key, date(today.year, 1, 1), date(today.year, 12, 31))
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(key, first, month_end(add_months(first, 2)))


def monthly(actor: Member, scope: Scope, keys: tuple[str, ...], today: date,
            months: int = 12) -> dict[str, Any]:  # fmt: skip
    """Chart data ("lines"/"bars" kinds of charts.js): one series per metric,
    one point per month of the last `months` months (two queries). A rate's
    series carries what each point rests on (samples.py): its count, whether
    that is enough, and its 95 % interval; the current month is marked partial."""
    metrics = metrics_of(keys)
    start = add_months(today.replace(day=1), 1 - months)
    totals = component_totals(actor=actor, metrics=metrics, scope=scope, start=start,
                              end=today, grouping="month")  # fmt: skip
    labels = [add_months(start, n) for n in range(months)]
    per_month = [values(metrics, totals.get(month)) for month in labels]
    series = []
    for m in metrics:
        line: dict[str, Any] = {"label": str(m.label), "key": m.key, "unit": m.unit,
                                "values": [_f(row[m.key]) for row in per_month]}  # fmt: skip
        sample = sample_of(m.key)
        if sample is not None:
            found = [totals.get(month) for month in labels]
            line["counts"] = [sample.counted(t) for t in found]
            line["count_words"] = [sample.words(sample.counted(t)) for t in found]
            line["enough"] = [sample.enough(t) for t in found]
            line["minimum"] = sample.minimum
            line["intervals"] = [_bounds(sample.bounds(t)) for t in found]
        series.append(line)
    return {
        "labels": [f"{month:%Y-%m}" for month in labels],
        "series": series,
        # The last month is under way unless today is its last day.
        "partial": today != month_end(today),
        "words": chart_words(),
    }


def _bounds(found: tuple[float, float] | None) -> list[float] | None:
    return None if found is None else [round(found[0], 1), round(found[1], 1)]


def chart_words() -> dict[str, str]:
    """What the rate charts write beside the figures (in the page's language)."""
    return {"partial": _("so far"), "few": _("not enough data yet"),
            "interval": _("interval (95 %)")}  # fmt: skip


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- a rep's dashboard -------------------------------------------------------


@dataclass(frozen=True)
class OpenComplaint:
    """A complaint to resolve, as the to-do list shows it (read as values: the
    rep's home page is the one everyone opens first)."""

    id: int
    customer: str
    severity: str
    status: str
    opened_at: datetime

    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    def status_label(self) -> str:
        return str(ComplaintStatus(self.status).label)


@dataclass(frozen=True)
class Todo:
    """What to do next: goals needing attention, complaints to resolve,
    proposals, and the follow-ups due by the end of the week (overdue first)."""

    goals: list[goal_selectors.Card]
    complaints: list[OpenComplaint]
    proposals: list[Goal]
    complaints_open: int = 0  # all of them, not only the first few listed
    follow_ups: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.goals or self.complaints or self.proposals or self.follow_ups)


@dataclass(frozen=True)
class RepDashboard:
    subject: Member
    cards: list[goal_selectors.Card]
    main: goal_selectors.Card | None
    timeline: dict[str, Any] | None
    quality: dict[str, Any]
    todo: Todo


def main_card(cards: list[goal_selectors.Card], today: date) -> goal_selectors.Card | None:
    """The goal whose timeline the page draws: a running total that is under way
    (revenue first), else any running goal, else the first card."""
    running = [c for c in cards if c.goal.start <= today <= c.goal.end]
    for pool in (
        [c for c in running if c.goal.metric == "revenue"],
        [c for c in running if c.goal.definition.cumulative],
        running,
        cards,
    ):
        if pool:
            return pool[0]
    return None


def rep_dashboard(actor: Member, subject: Member) -> RepDashboard:
    """`subject`'s goals, quality and next steps, as `actor` may see them (the
    caller has checked `subject` is visible to `actor`). Eight queries."""
    today = local_today(actor.organization)
    goals = remember(actor, "rep-goals", (subject.pk, today),
                     lambda: _rep_goals(actor, subject, today))  # fmt: skip
    cards, main, timeline, proposals = goals
    quality = monthly(actor, Scope("rep", subject.pk), QUALITY, today)
    behind = [c for c in cards if c.row and c.row.status in (Status.AT_RISK, Status.OFF_TRACK)]
    complaints, count = open_complaints(actor, subject)
    follow_ups = care_selectors.due_this_week(actor, subject, today, TODO_LIMIT)
    todo = Todo(behind[:TODO_LIMIT], complaints, proposals, count, follow_ups)
    return RepDashboard(subject, cards, main, timeline, quality, todo)


def open_complaints(actor: Member, rep: Member | None = None) -> tuple[list[OpenComplaint], int]:
    """The oldest open complaints `actor` sees (only `rep`'s when given) and how
    many are open in all. Complaints are records, not figures: read each time (a
    resolved one leaves at once); the first few with the count of all of them,
    in one round trip (a window)."""
    qs = Complaint.objects.visible_to(actor).exclude(status=ComplaintStatus.RESOLVED)
    if rep is not None:
        qs = qs.filter(rep_id=rep.pk)
    rows = list(
        qs.order_by("opened_at", "id")
        .values("id", "severity", "status", "opened_at", "customer__name")
        .annotate(open_total=Window(Count("id")))[:TODO_LIMIT]
    )  # fmt: skip
    listed = [OpenComplaint(r["id"], r["customer__name"], r["severity"], r["status"],
                            r["opened_at"]) for r in rows]  # fmt: skip
    return listed, rows[0]["open_total"] if rows else 0


def _rep_goals(actor: Member, subject: Member, today: date) -> tuple[Any, ...]:
    """The subject's goal cards, the main one's timeline and the proposals
    (cached: goal writes and progress move the figures version)."""
    mine = goal_selectors.goals_visible(actor).filter(member_id=subject.pk)
    cards = goal_selectors.cards(actor, mine)
    main = main_card(cards, today)
    timeline = goal_selectors.timeline(main.goal) if main else None
    proposals = list(mine.filter(state=State.PROPOSED).order_by("start", "pk")[:TODO_LIMIT])
    return cards, main, timeline, proposals


# --- goals of teams and the organisation --------------------------------------


@dataclass(frozen=True)
class TeamGoal:
    card: goal_selectors.Card
    shares: list[goal_selectors.Card]
    unassigned: Decimal | None

    @property
    def unassigned_text(self) -> str:
        goal = self.card.goal
        return formatting.metric_value(self.unassigned, goal.definition.unit,
                                       goal.organization.currency)  # fmt: skip


def team_goals_of(actor: Member, team: Team | None, today: date) -> list[TeamGoal]:
    """The goals of the team (of every team the actor sees when None), cached
    under the figures version."""

    def compute() -> list[TeamGoal]:
        qs = goal_selectors.goals_visible(actor).filter(team__isnull=False)
        if team is not None:
            qs = qs.filter(team_id=team.pk)
        return team_goals(actor, qs)

    return remember(actor, "team-goals", (team.pk if team else None, today), compute)


def team_goals(actor: Member, qs: Any, limit: int = 6) -> list[TeamGoal]:
    """Team goals with their members' shares and what is left to assign (three
    queries for any number of goals; `cascade()` would cost two per goal)."""
    cards = goal_selectors.cards(actor, qs, limit=limit)
    ids = [c.goal.pk for c in cards]
    if not ids:
        return []
    children = goal_selectors.goals_visible(actor).filter(parent_id__in=ids)
    by_parent: dict[int | None, list[goal_selectors.Card]] = {}
    for child in children.order_by("member__name", "pk"):
        by_parent.setdefault(child.parent_id, []).append(goal_selectors.card(child, actor))
    assigned = dict(Goal.objects.filter(parent_id__in=ids).values_list("parent_id")
                    .annotate(total=Sum("target")).order_by())  # fmt: skip
    found = []
    for c in cards:
        left = None
        if c.goal.definition.cumulative:
            left = c.goal.target - (assigned.get(c.goal.pk) or Decimal(0))
        found.append(TeamGoal(c, by_parent.get(c.goal.pk, []), left))
    return found


def proposals_waiting(actor: Member, limit: int = 10) -> list[Goal]:
    """Reps' proposals the actor sees and may decide on (one query, none while
    the figures version stands: goal writes move it)."""
    if not (actor.is_admin or actor.is_manager):
        return []

    def compute() -> list[Goal]:
        qs = Goal.objects.visible_to(actor).filter(state=State.PROPOSED)
        qs = qs.exclude(member_id=actor.pk).select_related("member")
        return list(qs.order_by("created_at", "pk")[:limit])

    return remember(actor, "proposals", (limit,), compute)


def words_of_timeline() -> dict[str, str]:
    return {"actual": _("Actual"), "pace": _("Pace"), "forecast": _("Forecast"),
            "band": _("Likely range"), "high": "high", "milestones": _("Milestones")}  # fmt: skip
