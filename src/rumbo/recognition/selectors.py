"""Reads of recognition, always through the one access path (`visible_to`):
the team feed, a person's moments, who one may thank, the rules as the
organisation has them, and the counts per person and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.db.models import Count, Q, QuerySet

from rumbo.recognition.models import Badge, Kudos
from rumbo.recognition.rules import RULES, Rule
from rumbo.recognition.services import enabled_rules
from rumbo.tenancy.models import Member, Role

FEED_SIZE = 40


@dataclass(frozen=True)
class Moment:
    """One line of a feed: a badge or a kudos, with when it happened."""

    kind: str  # "badge" or "kudos"
    record: Badge | Kudos
    at: dt.datetime

    @property
    def person(self) -> Member:
        record = self.record
        return record.member if isinstance(record, Badge) else record.receiver


def badges(viewer: Member) -> QuerySet[Badge]:
    return Badge.objects.visible_to(viewer).select_related("member")  # type: ignore[return-value]


def kudos(viewer: Member) -> QuerySet[Kudos]:
    return Kudos.objects.visible_to(viewer).select_related("giver", "receiver")  # type: ignore[return-value]


def feed(viewer: Member, *, person: Member | None = None, size: int = FEED_SIZE) -> list[Moment]:
    """The newest moments the viewer may read (of one person, if given): two
    queries, whatever the size of the organisation."""
    b, k = badges(viewer), kudos(viewer)
    if person is not None:
        b, k = b.filter(member=person), k.filter(receiver=person)
    moments = chain(
        (Moment("badge", x, x.created_at) for x in b.order_by("-created_at", "-pk")[:size]),
        (Moment("kudos", x, x.created_at) for x in k.order_by("-created_at", "-pk")[:size]),
    )
    return sorted(moments, key=lambda m: m.at, reverse=True)[:size]


def may_open(viewer: Member, moment: Moment) -> bool:
    """Whether the viewer may follow a badge's link to its record (a goal, a
    deal, a survey answer of the badge's person): the person, their managers
    and the admins may; a peer reads the badge without the record."""
    return viewer.role != Role.REP or moment.person.pk == viewer.pk


def kudos_recipients(giver: Member) -> QuerySet[Member]:
    """Whom `giver` may thank: active people of their organisation they see —
    an admin everyone, a manager the people of their teams and below, a rep
    the people of their own team and its manager — never themself."""
    people = Member.objects.visible_to(giver)
    if giver.role != Role.ADMIN and giver.team_id is not None:
        team_q = Q(team_id=giver.team_id) | Q(managed_teams__pk=giver.team_id)
        people = people | Member.objects.filter(Q(organization_id=giver.organization_id) & team_q)
    return (people.filter(is_active=True).exclude(pk=giver.pk).distinct()  # type: ignore[no-any-return]
            .order_by("name", "pk"))  # fmt: skip


@dataclass(frozen=True)
class RuleState:
    rule: Rule
    on: bool


def rule_states(organization_id: int) -> list[RuleState]:
    on = enabled_rules(organization_id)
    return [RuleState(rule, key in on) for key, rule in RULES.items()]


@dataclass(frozen=True)
class PersonCount:
    member: Member
    kudos: int
    badges: int


def counts(viewer: Member, *, start: dt.date, end: dt.date) -> list[PersonCount]:
    """Kudos received and badges earned per person from `start` to `end`
    (inclusive), among the moments the viewer may read: the recognition
    figure of the period, most recognised first."""
    kudos_rows = (Kudos.objects.visible_to(viewer)
                  .filter(created_at__date__gte=start, created_at__date__lte=end)
                  .values("receiver_id").annotate(n=Count("id")))  # fmt: skip
    badge_rows = (Badge.objects.visible_to(viewer).filter(earned_on__gte=start, earned_on__lte=end)
                  .values("member_id").annotate(n=Count("id")))  # fmt: skip
    got: dict[int, list[int]] = {}
    for row in kudos_rows:
        got.setdefault(row["receiver_id"], [0, 0])[0] = row["n"]
    for badge_row in badge_rows:
        got.setdefault(badge_row["member_id"], [0, 0])[1] = badge_row["n"]
    people = {m.pk: m for m in Member.objects.filter(pk__in=list(got))}
    found = [PersonCount(people[pk], k, b) for pk, (k, b) in got.items() if pk in people]
    return sorted(found, key=lambda c: (-(c.kudos + c.badges), c.member.name))


def title_of(moment: Moment) -> Any:
    record = moment.record
    return RULES[record.rule].title if isinstance(record, Badge) and record.rule in RULES else ""


def kudos_recipient_named(giver: Member, raw: Any) -> Member | None:
    """The person a form names, if the giver may thank them — or the giver
    themself, so that the service can say why not; None for anybody else,
    another organisation's ids included (the same answer as no such id)."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    if pk == giver.pk:
        return giver
    return kudos_recipients(giver).filter(pk=pk).select_related("organization", "user").first()
