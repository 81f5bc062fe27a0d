"""The large demo: an enterprise-scale organisation (slug `large`) with 10,000
reps in a team tree, a million customers and ten million deals, streamed in
chunks straight into the tables (COPY on PostgreSQL, executemany on SQLite)
with bounded memory. `scale` shrinks everything for tests."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from rumbo.demo import tables as t
from rumbo.demo.bulkload import bulk_mode
from rumbo.demo.customers import REGION_KEYS, ascii_slug
from rumbo.demo.profiles import CHARACTERS, character_profile, person_name, random_profile
from rumbo.demo.setup import (
    TIME_ZONE,
    DemoLogin,
    Passwords,
    Seller,
    Volume,
    catalogues,
    logins_for,
    populate,
)
from rumbo.demo.sink import IdAllocator, Sink, raw_sink
from rumbo.tenancy.models import Member, Organization, Role, Team
from rumbo.tenancy.services import organization_create

LARGE_SLUG = "large"
DOMAIN = "large.example"
REPS, CUSTOMERS, DEALS = 10_000, 1_000_000, 10_000_000
REPS_PER_TEAM, FANOUT = 20, 10  # reps per team; teams per region; regions per division
ACTIVITY_RATE = 0.5  # half the normal demo's activities per deal, to keep the load time sane
DIRECTOR = ("director@large.example", "Inés Prieto")
MANAGER = "manager@large.example"  # manages Division 1 (a tenth of the company)
TEAM_MANAGER = "team.manager@large.example"  # manages Team 1 (twenty reps)
REP = "rep@large.example"  # an ordinary rep of Team 1

Out = Callable[[str], object]


def large_exists() -> bool:
    return Organization.objects.filter(slug=LARGE_SLUG).exists()


def large_volume(scale: float, reps: int) -> Volume:
    customers = max(2 * reps, round(CUSTOMERS * scale))
    return Volume(customers=customers, deals=max(10 * reps, round(DEALS * scale)), contacts=1)


def _levels(reps: int) -> list[int]:
    """Team counts per level below the root: divisions, regions, teams."""
    teams = math.ceil(reps / REPS_PER_TEAM)
    regions = math.ceil(teams / FANOUT)
    return [math.ceil(regions / FANOUT), regions, teams]


def _tree(org: Organization, root: Team, reps: int, rng: random.Random) -> list[Team]:
    """Divisions → regions → teams, each with a manager; returns the leaf teams."""
    divisions, regions, leaves = _levels(reps)
    made: list[list[Team]] = []
    parents = [root]
    for label, count in (("Division", divisions), ("Region", regions), ("Team", leaves)):
        per_parent = math.ceil(count / len(parents))
        level = Team.objects.bulk_create(
            Team(organization=org, name=f"{label} {i + 1}", parent=parents[i // per_parent])
            for i in range(count)
        )
        made.append(level)
        parents = level
    every = [team for level in made for team in level]
    managers = Member.objects.bulk_create(
        Member(organization=org, name=person_name(rng), role=Role.MANAGER, team=team,
               email=f"manager{i + 1:04d}@{DOMAIN}")
        for i, team in enumerate(every)
    )  # fmt: skip
    for team, manager in zip(every, managers, strict=True):
        team.manager = manager
    Team.objects.bulk_update(every, ["manager"], batch_size=500)
    return made[2]


def _sellers(
    org: Organization, teams: list[Team], reps: int, seed: int
) -> tuple[list[Seller], list[Member]]:
    """Reps spread over the leaf teams; the designed characters come first, in Team 1.
    A quarter have no email (known only from the CRM)."""
    profiles = []
    for i in range(reps):
        rng = random.Random(f"{seed}:{LARGE_SLUG}:profile:{i}")
        if 0 < i <= len(CHARACTERS):
            profiles.append(character_profile(CHARACTERS[i - 1], rng))
        else:
            profiles.append(random_profile(rng, " ".join(person_name(rng).split()[:2])))
    per_team = math.ceil(reps / len(teams))
    members = Member.objects.bulk_create(
        (
            Member(organization=org, name=p.name, role=Role.REP, team=teams[i // per_team],
                   email="" if i % 4 == 3 else f"{ascii_slug(p.name)}.{i + 1}@{DOMAIN}",
                   external_id=f"HR-{i + 1:06d}")
            for i, p in enumerate(profiles)
        ),
        batch_size=2000,
    )  # fmt: skip
    sellers = [
        Seller(profile=p, member_id=m.pk, region=REGION_KEYS[(i // per_team) % len(REGION_KEYS)])
        for i, (p, m) in enumerate(zip(profiles, members, strict=True))
    ]
    return sellers, members


def _give_logins(org: Organization, reps: list[Member], passwords: Passwords) -> list[DemoLogin]:
    """The director's login, and logins for a division manager, a team manager
    and a rep (everyone else exists without one, as imported from a CRM)."""
    division = Team.objects.select_related("manager").get(organization=org, name="Division 1")
    team = Team.objects.select_related("manager").get(organization=org, name="Team 1")
    assert division.manager is not None and team.manager is not None
    picks = [
        ("manager (Division 1)", MANAGER, division.manager),
        ("manager (Team 1)", TEAM_MANAGER, team.manager),
        ("rep (Team 1)", REP, reps[0]),
    ]
    users = logins_for([DIRECTOR, *((email, m.name) for _r, email, m in picks)], passwords)
    for _role, email, member in picks:
        Member.objects.filter(pk=member.pk).update(email=email, user=users[email])
    return [
        DemoLogin(LARGE_SLUG, "admin (director)", *DIRECTOR),
        *(DemoLogin(LARGE_SLUG, role, email, m.name) for role, email, m in picks),
    ]


@contextmanager
def _tuned(postgres: bool) -> Iterator[None]:
    """Settings for one big load. SQLite's pragmas cannot change inside a
    transaction, so they are set (and restored) around it when we own it."""
    own = not connection.in_atomic_block
    pragmas = {"cache_size": "-262144", "temp_store": "MEMORY", "synchronous": "OFF"}
    saved: dict[str, object] = {}
    with connection.cursor() as cursor:
        if not postgres and own:
            for name, value in pragmas.items():
                cursor.execute(f"PRAGMA {name}")
                saved[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")
    try:
        with transaction.atomic():
            if postgres:
                # One transaction, so nothing is half-loaded on failure; no need to
                # wait for the disk at its commit (a crash just means loading again).
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            yield
    finally:
        with connection.cursor() as cursor:
            for name, old in saved.items():
                cursor.execute(f"PRAGMA {name} = {old}")


def _progress(out: Out, started: float) -> Callable[[int, int], None]:
    state = {"next": 0.0}

    def report(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        if elapsed < state["next"] and done < total:
            return
        state["next"] = elapsed + 15
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        out(f"  deals {done:,}/{total:,} ({done * 100 // max(total, 1)}%) · {elapsed:,.0f} s "
            f"elapsed · ~{left:,.0f} s to go")  # fmt: skip

    return report


def build_large(*, seed: int, scale: float, today: dt.date, out: Out) -> list[DemoLogin]:
    """Build the `large` organisation in one transaction and print progress."""
    started = time.monotonic()
    postgres = connection.vendor == "postgresql"
    reps = max(len(CHARACTERS) + 1, round(REPS * scale))
    volume = large_volume(scale, reps)
    out(f"Building '{LARGE_SLUG}': {reps:,} reps, {volume.customers:,} customers, "
        f"{volume.deals:,} deals ({'COPY' if postgres else 'executemany'})…")  # fmt: skip
    passwords = Passwords()
    sink: Sink = raw_sink()
    with _tuned(postgres):
        rng = random.Random(f"{seed}:{LARGE_SLUG}")
        org, director = organization_create(
            slug=LARGE_SLUG, name="Rumbo Enterprise", currency="EUR", admin_email=DIRECTOR[0],
            admin_name=DIRECTOR[1], language="en", time_zone=TIME_ZONE,
        )  # fmt: skip
        assert director.team is not None
        teams = _tree(org, director.team, reps, rng)
        sellers, members = _sellers(org, teams, reps, seed)
        logins = _give_logins(org, members, passwords)
        ctx = catalogues(org, today, rng)
        ctx.activity_rate = ACTIVITY_RATE
        out(f"  organisation, {len(teams):,} leaf teams and members ready · "
            f"{time.monotonic() - started:.0f} s")  # fmt: skip
        with bulk_mode([table.db_table for table in t.ALL], out):
            populate(ctx, sink, IdAllocator(), sellers=sellers, volume=volume,
                     seed=f"{seed}:{LARGE_SLUG}", domain=DOMAIN,
                     progress=_progress(out, started))  # fmt: skip
        out(f"  committing · {time.monotonic() - started:,.0f} s")
    with connection.cursor() as cursor:
        out("  updating planner statistics…")
        for table in t.ALL:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.db_table)}")
    counts = ", ".join(f"{n:,} {name.removeprefix('sales_')}" for name, n in sink.written.items())
    out(f"  {counts}")
    return logins
