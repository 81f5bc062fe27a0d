"""THE walk of an organisation's team tree, down (a team and every team below
it: what a manager sees, what a team's figures and goals cover) and up (a team
and every team above it: whose goals a member's figures feed). Every reader
of the tree loads it once (one query) and walks it here; a cycle, which
services refuse but old data might hold, ends the walk instead of looping."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def teams_below(children: Mapping[int | None, Iterable[int]], roots: Iterable[int]) -> set[int]:
    """The `roots` and every team below them, from each team's children."""
    found: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, ()))
    return found


def teams_above(parents: Mapping[int, int | None], start: int | None) -> list[int]:
    """`start` and every team above it, nearest first."""
    found: list[int] = []
    current = start
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found


@dataclass
class TeamTree:
    """An organisation's teams as parent links and children lists."""

    parents: dict[int, int | None]
    children: dict[int | None, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int | None]]) -> TeamTree:
        """From (team id, parent id) rows."""
        tree = cls({})
        for pk, parent in rows:
            tree.parents[pk] = parent
            tree.children.setdefault(parent, []).append(pk)
        return tree

    @classmethod
    def load(cls, organization_id: int) -> TeamTree:
        from rumbo.tenancy.models import Team

        return cls.of(Team.objects.filter(organization_id=organization_id)
                      .values_list("id", "parent_id"))  # fmt: skip

    def below(self, *roots: int) -> set[int]:
        return teams_below(self.children, roots)

    def above(self, team_id: int | None) -> list[int]:
        return teams_above(self.parents, team_id)
