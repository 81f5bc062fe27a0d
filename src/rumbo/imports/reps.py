"""The reps file: people with a manager and a regional office build the team
tree and the memberships. People named only by name (no email, no login) become
members who own records and count in every figure, and can be invited later.

A region becomes a team. Its manager is the person in it who manages others
(the top one of a chain), else the manager its rows name. The team hangs below
its manager's own team when the manager sits elsewhere, else below the team of
the manager's manager, else below the organisation's root team.
Reps files are small (people, not facts), so this writes through the ORM, in one
transaction; a dry run does the same and rolls back, which gives exact counts."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rumbo.imports.pipeline import Problem, RowReader
from rumbo.imports.values import name_key
from rumbo.tenancy.models import AuditEntry, Member, Role, Team


@dataclass
class Person:
    row: int
    values: dict[str, Any]
    member: Member | None = None
    manager: Member | None = None


def _keys(values: dict[str, Any]) -> list[str]:
    keys = []
    if values.get("external_id"):
        keys.append("id:" + values["external_id"])
    if values.get("email"):
        keys.append("email:" + values["email"].lower())
    keys.append(name_key(values["name"]))
    return keys


def reps_import(*, actor: Member, reader: RowReader, rows: Iterator[tuple[int, list[Any]]],
                result: Any, problems: Any, dry_run: bool) -> Any:  # fmt: skip
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row_no, cells in rows:
        result.rows += 1
        values, found = reader.read(row_no, cells)
        for problem in found:
            problems.add(problem)
        if values is None:
            continue
        for key in _keys(values):
            if key in seen:
                reason = _("The same person as row %(row)s.") % {"row": seen[key]}
                column = reader.mapping.column_name("name")
                problems.add(Problem(row_no, column, values["name"], reason))
                break
        else:
            for key in _keys(values):
                seen[key] = row_no
            people.append(Person(row_no, values))
    if result.problem_count:
        return result
    members = {m.pk: m for m in Member.objects.filter(organization_id=actor.organization_id)}
    by_key: dict[str, Member] = {}
    for m in members.values():
        for key in _keys({"external_id": m.external_id, "email": m.email, "name": m.name}):
            by_key.setdefault(key, m)
    in_file = {key: p for p in people for key in _keys(p.values)}
    _check_managers(people, in_file, by_key, reader, problems)
    if result.problem_count:
        return result
    try:
        with transaction.atomic():
            _apply_all(actor, people, in_file, by_key, result, reader, problems, dry_run)
    except IntegrityError as exc:
        # Two people given one email, or an email another member already has.
        reason = _("Two people cannot share an email address; nothing was written. "
                   "(%(error)s)") % {"error": exc}  # fmt: skip
        problems.add(Problem(0, "", "", reason))
    return result


def _apply_all(actor: Member, people: list[Person], in_file: dict[str, Person],
               by_key: dict[str, Member], result: Any, reader: RowReader, problems: Any,
               dry_run: bool) -> None:  # fmt: skip
    """Write the people and teams; a dry run rolls back (the caller holds the transaction)."""
    _apply(actor, people, in_file, by_key, result, reader, problems)
    if dry_run or result.problem_count:
        transaction.set_rollback(True)
    else:
        result.applied = True
        AuditEntry.objects.create(
            organization_id=actor.organization_id, actor=actor, action="import",
            model="tenancy.member", object_id="",
            summary=(_("Imported reps: %(created)s created, %(updated)s updated")
                     % {"created": result.created, "updated": result.updated})[:255],
            changes={"kind": "reps", "rows": result.rows, "created": result.created,
                     "updated": result.updated, "unchanged": result.unchanged},
        )  # fmt: skip


def _check_managers(people: list[Person], in_file: dict[str, Person], by_key: dict[str, Member],
                    reader: RowReader, problems: Any) -> None:  # fmt: skip
    """A manager named like someone known but not exactly is a typo, not a new person."""
    names = [p.values["name"] for p in people] + [m.name for m in by_key.values()]
    for p in people:
        text = p.values.get("manager") or ""
        if not text or name_key(text) in in_file or name_key(text) in by_key:
            continue
        if ("email:" + text.lower()) in in_file or ("email:" + text.lower()) in by_key:
            continue
        close = difflib.get_close_matches(text, names, n=2, cutoff=0.85)
        if close:
            problems.add(Problem(
                p.row, reader.mapping.column_name("manager"), text,
                _("No one is called %(value)s. Did you mean %(names)s?")
                % {"value": text, "names": _(" or ").join(f"“{n}”" for n in close)},
                tuple(close),
            ))  # fmt: skip


def _upsert(member: Member | None, actor: Member, values: dict[str, Any]) -> tuple[Member, str]:
    """Create or update one member; says 'created', 'updated' or 'unchanged'."""
    if member is None:
        member = Member(organization_id=actor.organization_id, user=None, role=Role.REP)
        state = "created"
    else:
        state = "unchanged"
    for name in ("name", "email", "external_id", "role"):
        value = values.get(name)
        if value and getattr(member, name) != value:
            if name == "role" and member.role == Role.ADMIN:
                continue  # an import never demotes an admin
            setattr(member, name, value)
            state = "updated" if state == "unchanged" else state
    return member, state


def _apply(
    actor: Member,
    people: list[Person],
    in_file: dict[str, Person],
    by_key: dict[str, Member],
    result: Any,
    reader: RowReader,
    problems: Any,
) -> None:
    states: dict[int, str] = {}
    root = Team.objects.filter(organization_id=actor.organization_id, parent=None).order_by("id")
    root_team = root.first() or Team.objects.create(
        organization_id=actor.organization_id, name=actor.organization.name
    )
    for p in people:
        existing = next((by_key[k] for k in _keys(p.values) if k in by_key), None)
        p.member, state = _upsert(existing, actor, p.values)
        p.member.save()
        states[p.member.pk] = state
    # Managers: someone in the file, someone known, or a new name-only manager.
    for p in people:
        text = p.values.get("manager") or ""
        if not text:
            continue
        key = name_key(text)
        email = "email:" + text.lower()
        target = in_file.get(key) or in_file.get(email)
        manager = target.member if target else by_key.get(key) or by_key.get(email)
        if manager is None:
            manager = Member.objects.create(organization_id=actor.organization_id, name=text,
                                            role=Role.MANAGER)  # fmt: skip
            by_key[key] = manager
            states[manager.pk] = "created"
        p.manager = manager
    teams = {
        name_key(t.name): t for t in Team.objects.filter(organization_id=actor.organization_id)
    }
    regions: dict[str, list[Person]] = {}
    for p in people:
        region = (p.values.get("team") or "").strip()
        if region:
            regions.setdefault(name_key(region), []).append(p)
            if name_key(region) not in teams:
                teams[name_key(region)] = Team.objects.create(
                    organization_id=actor.organization_id, name=region, parent=root_team
                )
    bosses = {p.manager.pk for p in people if p.manager is not None}
    chosen = {key: _region_managers(rows, bosses) for key, rows in regions.items()}
    # An office with several managers: a team per manager below the office team.
    placed: dict[int, Team] = {}
    for key, managers in chosen.items():
        if len(managers) > 1 and teams[key] != root_team:
            crews = {m.pk: _crew(actor, teams[key], m, teams, states) for m in managers}
            for p in regions[key]:
                assert p.member is not None
                crew = crews.get(p.member.pk) or (crews.get(p.manager.pk) if p.manager else None)
                if crew is not None:
                    placed[p.member.pk] = crew
    for p in people:
        region = (p.values.get("team") or "").strip()
        assert p.member is not None
        team = placed.get(p.member.pk) or (
            teams[name_key(region)] if region else p.member.team or root_team
        )
        if p.member.team_id != team.pk:
            p.member.team = team
            p.member.save(update_fields=["team"])
            states[p.member.pk] = (
                "updated" if states[p.member.pk] == "unchanged" else states[p.member.pk]
            )
    for key in regions:
        team = teams[key]
        if len(chosen[key]) != 1 or team == root_team:
            continue  # no manager, or one team per manager (made above)
        manager = chosen[key][0]
        if manager.team_id and manager.team_id != team.pk:
            parent_team = manager.team  # the manager sits in the office above
        else:
            boss = next((p.manager for p in people if p.member == manager and p.manager), None)
            parent_team = boss.team if boss is not None else None
        if parent_team is None or parent_team.pk == team.pk or _below(parent_team, team):
            parent_team = root_team
        if team.manager_id != manager.pk or team.parent_id != parent_team.pk:
            team.manager, team.parent = manager, parent_team
            team.save(update_fields=["manager", "parent"])
        _promote(manager, states)
    result.created = sum(1 for s in states.values() if s == "created")
    result.updated = sum(1 for s in states.values() if s == "updated")
    result.unchanged = sum(1 for s in states.values() if s == "unchanged")


def _region_managers(rows: list[Person], bosses: set[int]) -> list[Member]:
    """Who runs a region: whoever in it manages people (the top one of a chain),
    else the managers its rows name."""
    inside = {p.member.pk: p for p in rows if p.member is not None and p.member.pk in bosses}
    top = [
        p.member
        for p in inside.values()
        if p.member is not None and (p.manager is None or p.manager.pk not in inside)
    ]
    named = {p.manager.pk: p.manager for p in rows if p.manager is not None}
    return sorted(top if inside else named.values(), key=lambda m: (m.name, m.pk))


def _crew(actor: Member, office: Team, manager: Member, teams: dict[str, Team],
          states: dict[int, str]) -> Team:  # fmt: skip
    """The team of one of an office's managers, below the office team; the
    manager runs it (and sits in it when they have no team yet)."""
    name = f"{office.name} – {manager.name}"[:120]
    crew = teams.get(name_key(name))
    if crew is None:
        crew = Team.objects.create(organization_id=actor.organization_id, name=name,
                                   parent=office, manager=manager)  # fmt: skip
        teams[name_key(name)] = crew
    elif crew.manager_id != manager.pk or crew.parent_id != office.pk:
        crew.manager, crew.parent = manager, office
        crew.save(update_fields=["manager", "parent"])
    if manager.team_id is None:
        manager.team = crew
        manager.save(update_fields=["team"])
    _promote(manager, states)
    return crew


def _promote(manager: Member, states: dict[int, str]) -> None:
    if manager.role == Role.REP:
        manager.role = Role.MANAGER
        manager.save(update_fields=["role"])
        if states.get(manager.pk) == "unchanged":
            states[manager.pk] = "updated"


def _below(team: Team, ancestor: Team) -> bool:
    """Whether `team` sits somewhere below `ancestor` (so hanging `ancestor`
    under it would make a cycle)."""
    node: Team | None = team
    while node is not None:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
    return False
