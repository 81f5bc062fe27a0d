"""The normal demo: "Rumbo Demo" (a director, three regional teams with their
managers, ~25 reps) and "solo", an independent seller's organisation of one.
Written with `bulk_create` in batches: fast, and still through the ORM."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from django.db import transaction

from rumbo.demo.care import demo_care
from rumbo.demo.customers import ascii_slug
from rumbo.demo.goals import demo_goals, rollups_rebuild
from rumbo.demo.notices import demo_notices
from rumbo.demo.profiles import (
    CHARACTERS,
    RepProfile,
    character_profile,
    person_name,
    random_profile,
)
from rumbo.demo.recognition import demo_recognition
from rumbo.demo.scorecard import demo_scorecard
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
from rumbo.demo.sink import IdAllocator, OrmSink
from rumbo.demo.vocab import PRODUCTS
from rumbo.tenancy.models import Member, Organization, Role, Team
from rumbo.tenancy.services import organization_create

DEMO_SLUG, SOLO_SLUG = "demo", "solo"
DOMAIN = "demo.example"
DIRECTOR = ("director@demo.example", "Elena Vidal")
MANAGERS = {  # team: (email, name)
    "North": ("manager@demo.example", "Marcos Ibáñez"),
    "Centre": ("pilar.lozano@demo.example", "Pilar Lozano"),
    "South": ("rafael.cano@demo.example", "Rafael Cano"),
}
REP_LOGIN = "rep@demo.example"  # an ordinary rep of North
SOLO_SELLER = ("seller@solo.example", "Ana Ruiz")
# Where the designed characters work.
CHARACTER_TEAMS = {"star": "North", "misfit": "North", "closer": "Centre", "caring": "South",
                   "struggling": "South"}  # fmt: skip
TEAM_SIZES = {"North": 9, "Centre": 8, "South": 8}
NO_LOGIN, EMAIL_ONLY = 6, 3  # ordinary reps known only from the CRM, and invitable ones
SOLO_PRODUCTS = [p for p in PRODUCTS if p.category in ("Software", "Cloud", "Training",
                                                       "Consulting", "Home")]  # fmt: skip


def normal_volume(scale: float) -> Volume:
    return Volume(customers=max(30, round(9000 * scale)), deals=max(100, round(30000 * scale)))


def solo_volume(scale: float) -> Volume:
    return Volume(customers=max(10, round(120 * scale)), deals=max(20, round(400 * scale)),
                  abroad_share=0.05, business_share=0.75, contacts=1)  # fmt: skip


def _reps(rng: random.Random) -> list[tuple[str, RepProfile, str, bool]]:
    """(team, profile, email, has login) for every rep: the characters, then
    ordinary reps; a few of these exist only in the CRM (no email, no login)
    and a few have an email but were never invited."""
    people = []
    for c in CHARACTERS:
        email = f"{ascii_slug(c.name.split()[0])}.{ascii_slug(c.name.split()[1])}@{DOMAIN}"
        people.append((CHARACTER_TEAMS[c.key], character_profile(c, rng), email, True))
    taken = {p[1].name for p in people} | {DIRECTOR[1]} | {n for _e, n in MANAGERS.values()}
    ordinary: list[tuple[str, RepProfile]] = []
    for team, size in TEAM_SIZES.items():
        wanted = size - sum(1 for p in people if p[0] == team)
        while wanted:
            name = " ".join(person_name(rng).split()[:2])
            if name not in taken:
                taken.add(name)
                ordinary.append((team, random_profile(rng, name)))
                wanted -= 1
    others = list(range(1, len(ordinary)))
    rng.shuffle(others)
    no_login = set(others[:NO_LOGIN])
    email_only = set(others[NO_LOGIN : NO_LOGIN + EMAIL_ONLY])
    for i, (team, profile) in enumerate(ordinary):
        first, last = (ascii_slug(part) for part in profile.name.split()[:2])
        email = REP_LOGIN if i == 0 else "" if i in no_login else f"{first}.{last}@{DOMAIN}"
        people.append((team, profile, email, bool(email) and i not in email_only))
    return people


def build_demo(
    *, seed: int, scale: float, today: dt.date, ids: IdAllocator, passwords: Passwords
) -> list[DemoLogin]:
    """The sales organisation "Rumbo Demo"."""
    rng = random.Random(f"{seed}:{DEMO_SLUG}")
    org, director = organization_create(
        slug=DEMO_SLUG, name="Rumbo Demo", currency="EUR", admin_email=DIRECTOR[0],
        admin_name=DIRECTOR[1], language="en", time_zone=TIME_ZONE,
    )  # fmt: skip
    root = director.team
    ctx = catalogues(org, today, rng)
    reps = _reps(rng)
    people = [DIRECTOR, *MANAGERS.values()]
    people += [(email, profile.name) for _t, profile, email, login in reps if login]
    users = logins_for(people, passwords)
    teams = {
        name: Team.objects.create(organization=org, name=name, parent=root) for name in MANAGERS
    }
    for name, (email, person) in MANAGERS.items():
        manager = Member.objects.create(
            organization=org, user=users[email], name=person, email=email, role=Role.MANAGER,
            team=teams[name],
        )  # fmt: skip
        teams[name].manager = manager
        teams[name].save(update_fields=["manager"])
    members = Member.objects.bulk_create(
        Member(organization=org, user=users.get(email) if login else None, name=profile.name,
               email=email, role=Role.REP, team=teams[team], external_id=f"CRM-{i + 101}")
        for i, (team, profile, email, login) in enumerate(reps)
    )  # fmt: skip
    sellers = [
        Seller(profile=rep[1], member_id=member.pk, region=rep[0])
        for rep, member in zip(reps, members, strict=True)
    ]
    populate(ctx, OrmSink(), ids, sellers=sellers, volume=normal_volume(scale),
             seed=f"{seed}:{DEMO_SLUG}", domain=DOMAIN)  # fmt: skip
    return _logins(next(p.name for _t, p, e, _l in reps if e == REP_LOGIN))


def _logins(rep_name: str) -> list[DemoLogin]:
    return [
        DemoLogin(DEMO_SLUG, "admin (sales director)", DIRECTOR[0], DIRECTOR[1]),
        DemoLogin(DEMO_SLUG, "manager (North)", *MANAGERS["North"]),
        DemoLogin(DEMO_SLUG, "rep (North)", REP_LOGIN, rep_name),
    ]


def build_solo(
    *, seed: int, scale: float, today: dt.date, ids: IdAllocator, passwords: Passwords
) -> list[DemoLogin]:
    """An independent seller: one person holding every role."""
    rng = random.Random(f"{seed}:{SOLO_SLUG}")
    org, seller = organization_create(
        slug=SOLO_SLUG, name="Ana Ruiz Consulting", currency="EUR", admin_email=SOLO_SELLER[0],
        admin_name=SOLO_SELLER[1], language="en", time_zone=TIME_ZONE, independent=True,
    )  # fmt: skip
    logins_for([SOLO_SELLER], passwords)
    ctx = catalogues(org, today, rng, SOLO_PRODUCTS)
    profile = random_profile(rng, SOLO_SELLER[1])
    profile = replace(profile, skill=0.38, care=0.85)
    sellers = [Seller(profile, seller.pk, "Centre")]
    populate(ctx, OrmSink(), ids, sellers=sellers, volume=solo_volume(scale),
             seed=f"{seed}:{SOLO_SLUG}", domain="solo.example")  # fmt: skip
    return [SOLO_LOGIN]


SOLO_LOGIN = DemoLogin(SOLO_SLUG, "independent seller (every role)", *SOLO_SELLER)


def existing_logins() -> list[DemoLogin]:
    rep = Member.objects.filter(organization__slug=DEMO_SLUG, email=REP_LOGIN).first()
    return [*_logins(rep.name if rep else ""), SOLO_LOGIN]


def demo_exists() -> bool:
    return Organization.objects.filter(slug__in=[DEMO_SLUG, SOLO_SLUG]).exists()


@transaction.atomic
def build_normal(*, seed: int, scale: float, today: dt.date) -> list[DemoLogin]:
    """Both organisations of the normal demo, in one transaction."""
    ids, passwords = IdAllocator(), Passwords()
    logins = build_demo(seed=seed, scale=scale, today=today, ids=ids, passwords=passwords)
    logins += build_solo(seed=seed, scale=scale, today=today, ids=ids, passwords=passwords)
    for slug in (DEMO_SLUG, SOLO_SLUG):
        org = Organization.objects.get(slug=slug)
        rollups_rebuild(org)
        demo_goals(organization=org, today=today, seed=f"{seed}:{slug}", proposer_email=REP_LOGIN)
        demo_notices(organization=org, today=today, seed=f"{seed}:{slug}")
        demo_recognition(organization=org, today=today, seed=f"{seed}:{slug}")
        demo_care(organization=org, today=today, seed=f"{seed}:{slug}")
    demo_scorecard(organization=Organization.objects.get(slug=DEMO_SLUG), today=today)
    return logins
