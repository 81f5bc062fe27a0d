"""What a manager's or the director's home asks them to act on: people whose
goals are behind, the team's (or organisation's) goals behind, proposed goals
to review, open complaints on the customers they look after, and the score's
missed targets.

The list is built from the very objects the cards beside it show (the open
complaints counted here are the number the "Complaints open" card prints, the
score's missed targets are the scorecard panel's), so "nothing needs you"
can never sit under a card that says otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from rumbo.dashboards.scoring import Panel
from rumbo.dashboards.selectors import TODO_LIMIT, OpenComplaint, open_complaints
from rumbo.goals import selectors as goal_selectors
from rumbo.goals.models import Goal, State, Status
from rumbo.metrics.cache import remember
from rumbo.metrics.score_rows import PartRow
from rumbo.metrics.scorecards import Score
from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal
from rumbo.tenancy.models import Member, Role

BEHIND = (Status.AT_RISK, Status.OFF_TRACK)
RECENT_DAYS = 90


@dataclass(frozen=True)
class Attention:
    """Everything on the list, each part with its full count (a few are listed)."""

    people: list[goal_selectors.Card]  # people's running goals at risk or off track
    people_total: int
    goals: list[goal_selectors.Card]  # team and organisation goals at risk or off track
    proposals: list[Goal]
    complaints: list[OpenComplaint]
    complaints_open: int
    missed: list[PartRow]  # the score's targets not met
    score: Score | None  # the scope's score over the page's period (None: no figures)

    def __bool__(self) -> bool:
        return bool(self.people or self.goals or self.proposals or self.complaints_open
                    or self.missed)  # fmt: skip


def sells(member: Member, today: date) -> bool:
    """Whether `member` sells, so has a seller's page of their own: reps and
    independent sellers always; a manager or admin when they carry a quota (a
    personal goal, active or proposed, that has not ended) or have deals of
    their own (one open, or closed in the last RECENT_DAYS days). Two queries
    at most, none while the figures version stands (goal writes and closed
    deals' refreshes move it)."""
    if member.role == Role.REP or member.organization.is_independent:
        return True

    def compute() -> bool:
        goals = Goal.objects.visible_to(member).filter(member_id=member.pk, end__gte=today)
        if goals.exclude(state=State.REJECTED).exists():
            return True
        deals = Deal.objects.visible_to(member).filter(owner_id=member.pk)
        recent = Q(outcome=Outcome.OPEN) | Q(closed_on__gte=today - timedelta(days=RECENT_DAYS))
        return deals.filter(recent).exists()

    return remember(member, "sells", (member.pk, today), compute)


def behind_goals(actor: Member, today: date) -> tuple[list[goal_selectors.Card], int,
                                                      list[goal_selectors.Card]]:  # fmt: skip
    """People's running goals at risk or off track (the first few and how many
    in all) and the teams' and organisation's (cached under the figures version:
    recorded progress moves it)."""

    def compute() -> tuple[list[goal_selectors.Card], int, list[goal_selectors.Card]]:
        running = (
            goal_selectors.goals_visible(actor)
            .filter(state=State.ACTIVE, start__lte=today, end__gte=today)
            .exclude(member_id=actor.pk)
        )
        # latest_status is annotated by goals_visible (the stubs cannot know).
        running = running.filter(latest_status__in=BEHIND)  # type: ignore[misc]
        running = running.order_by("latest_status", "end", "pk")  # type: ignore[misc]
        found = [goal_selectors.card(g, actor) for g in running]
        people = [c for c in found if c.goal.member_id is not None]
        shared = [c for c in found if c.goal.member_id is None]
        return people[:TODO_LIMIT], len(people), shared[:TODO_LIMIT]

    return remember(actor, "behind", (today,), compute)


def attention(actor: Member, today: date, panel: Panel, proposals: list[Goal]) -> Attention:
    """The list for `actor`'s home, from the score `panel` and `proposals` the
    page shows beside it."""
    people, total, shared = behind_goals(actor, today)
    # The oldest open complaints on the customers of the people they manage
    # (everyone's for an admin) and the count the "Complaints open" card prints.
    complaints, count = open_complaints(actor)
    missed = [part for part in panel.parts if part.attainment is not None and not part.met]
    return Attention(people, total, shared, proposals, complaints, count, missed, panel.score)
