"""The words of an evaluation: scope (a rep, a team with its subtree, the
organisation), period, grouping, and the time buckets a period splits into.
`Context` is what a source-computed metric (a snapshot, a distinct count)
receives; it only ever reads through `visible_to(actor)`."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from rumbo.tenancy.models import Member, Team
from rumbo.tenancy.tree import TeamTree

GroupBy = Literal["rep", "team", "week", "month"] | None
GROUPINGS = ("rep", "team", "week", "month")


@dataclass(frozen=True)
class Scope:
    """Whose figures: `org` (everything the asker sees), `team` (the team with
    every team below it) or `rep` (one member)."""

    kind: Literal["org", "team", "rep"] = "org"
    id: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """`org`, `team:ID` or `rep:ID`; raises ValueError otherwise."""
        text = (text or "org").strip()
        if text == "org":
            return cls()
        kind, _sep, ident = text.partition(":")
        if kind not in ("team", "rep") or not ident.isdigit():
            raise ValueError(text)
        return cls(kind, int(ident))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Bucket:
    """A slice of the period: a week (key: its Monday), a month (key: its first
    day) or the whole period (key None), clipped to the period."""

    key: date | None
    start: date
    end: date

    @property
    def whole_months(self) -> int:
        """How many calendar months the bucket covers exactly (0 if ragged)."""
        if self.start.day != 1 or self.end != month_end(self.end):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> tuple[date, date]:
        """The period before: as many calendar months before a whole-month bucket,
        else as many days before."""
        months = self.whole_months
        if months:
            start = add_months(self.start, -months)
            return start, self.start - timedelta(days=1)
        length = (self.end - self.start).days + 1
        return self.start - timedelta(days=length), self.start - timedelta(days=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def buckets(start: date, end: date, group_by: GroupBy) -> list[Bucket]:
    if group_by == "month":
        found, cursor = [], start.replace(day=1)
        while cursor <= end:
            found.append(Bucket(cursor, max(cursor, start), min(month_end(cursor), end)))
            cursor = add_months(cursor, 1)
        return found
    if group_by == "week":
        found, cursor = [], start - timedelta(days=start.weekday())
        while cursor <= end:
            found.append(Bucket(cursor, max(cursor, start), min(cursor + timedelta(days=6), end)))
            cursor += timedelta(days=7)
        return found
    return [Bucket(None, start, end)]


def team_subtree(organization_id: int, team_id: int) -> set[int]:
    """The team and every team below it (one query; tenancy.tree walks it)."""
    return TeamTree.load(organization_id).below(team_id)


def scope_filter(actor: Member, scope: Scope, path: str = "member") -> models.Q:
    """Rows of members in the scope. The scope's team or rep must be one the
    actor sees: another's answers 404, like any record."""
    if scope.kind == "org":
        return models.Q()
    ident = scope.id
    if ident is None:
        raise Http404
    if scope.kind == "rep":
        if not Member.objects.visible_to(actor).filter(pk=ident).exists():
            raise Http404
        return models.Q(**{f"{path}_id": ident})
    if not Team.objects.visible_to(actor).filter(pk=ident).exists():
        raise Http404
    return models.Q(**{f"{path}__team_id__in": team_subtree(actor.organization_id, ident)})


@dataclass
class Context:
    """What a source-computed metric needs: who asks, whose figures, when, and
    how to group. Its queries start from `records()`, i.e. `visible_to(actor)`."""

    actor: Member
    scope: Scope
    start: date
    end: date
    group_by: GroupBy
    buckets: list[Bucket] = field(default_factory=list)

    def records(self, model: type[models.Model], owner: str) -> QuerySet[Any]:
        """The model's rows the actor sees, owned (through `owner`) by the scope."""
        manager: Any = model._default_manager
        return manager.visible_to(self.actor).filter(scope_filter(self.actor, self.scope, owner))

    def group_field(self, owner: str) -> str | None:
        """The column to group rows by for a rep or team grouping, else None."""
        if self.group_by == "rep":
            return f"{owner}_id"
        if self.group_by == "team":
            return f"{owner}__team_id"
        return None
