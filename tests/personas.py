"""Named people of two organisations, shared by every access test.

Acme (EUR):                        Globex (USD):
  alice   admin (root team Acme)     oscar  admin
  mark    manager of North           olga   rep
  rita    rep in North
  nina    rep in North-East (below North, so Mark sees her)
  sofia   rep in South (a sibling team: Mark and Rita must not see her)
  sam     manager of South

Each rep, and Olga, owns one of every kind of record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from rumbo.tenancy.models import Member, Organization, Role, Team, User
from tests import factories as f

PASSWORD = "pass-word-1"


@dataclass
class Records:
    customer: Any
    contact: Any
    deal: Any
    activity: Any
    survey: Any
    complaint: Any


@dataclass
class World:
    acme: Organization
    globex: Organization
    members: dict[str, Member] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    records: dict[str, Records] = field(default_factory=dict)
    catalogue: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Member:
        members = self.__dict__.get("members", {})
        if name in members:
            return members[name]
        raise AttributeError(name)

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.members[name].user)
        return client


def _member(org: Organization, name: str, role: str, team: Team | None) -> Member:
    user = User.objects.create_user(f"{name}@{org.slug}.test", PASSWORD, first_name=name.title())
    return Member.objects.create(
        organization=org, user=user, name=name.title(), email=user.email, role=role, team=team
    )


def _records(org: Organization, owner: Member, tag: str) -> Records:
    customer = f.CustomerFactory(organization=org, owner=owner, name=f"{tag} customer")
    contact = f.ContactFactory(organization=org, customer=customer, name=f"{tag} contact")
    today = timezone.localdate()
    deal = f.DealFactory(
        organization=org, owner=owner, customer=customer, name=f"{tag} deal", outcome="won",
        stage="closed", closed_on=today - dt.timedelta(days=2), currency=org.currency,
        amount=Decimal("1200.00"), amount_base=Decimal("1200.00"),
    )  # fmt: skip
    activity = f.ActivityFactory(organization=org, owner=owner, customer=customer, deal=deal,
                                 notes=f"{tag} activity")  # fmt: skip
    survey = f.SurveyResponseFactory(organization=org, rep=owner, customer=customer, deal=deal,
                                     comment=f"{tag} survey")  # fmt: skip
    complaint = f.ComplaintFactory(organization=org, rep=owner, customer=customer, deal=deal,
                                   description=f"{tag} complaint")  # fmt: skip
    return Records(customer, contact, deal, activity, survey, complaint)


def build_world() -> World:
    acme = f.OrganizationFactory(slug="acme", name="Acme", currency="EUR")
    globex = f.OrganizationFactory(slug="globex", name="Globex", currency="USD")
    world = World(acme=acme, globex=globex)
    root = Team.objects.create(organization=acme, name="Acme")
    north = Team.objects.create(organization=acme, name="North", parent=root)
    north_east = Team.objects.create(organization=acme, name="North-East", parent=north)
    south = Team.objects.create(organization=acme, name="South", parent=root)
    g_root = Team.objects.create(organization=globex, name="Globex")
    world.teams = {"root": root, "north": north, "north_east": north_east, "south": south,
                   "globex": g_root}  # fmt: skip
    m = world.members
    m["alice"] = _member(acme, "alice", Role.ADMIN, root)
    m["mark"] = _member(acme, "mark", Role.MANAGER, north)
    m["sam"] = _member(acme, "sam", Role.MANAGER, south)
    m["rita"] = _member(acme, "rita", Role.REP, north)
    m["nina"] = _member(acme, "nina", Role.REP, north_east)
    m["sofia"] = _member(acme, "sofia", Role.REP, south)
    m["oscar"] = _member(globex, "oscar", Role.ADMIN, g_root)
    m["olga"] = _member(globex, "olga", Role.REP, g_root)
    root.manager, north.manager, south.manager = m["alice"], m["mark"], m["sam"]
    g_root.manager = m["oscar"]
    for team in (root, north, south, g_root):
        team.save()
    for name in ("rita", "nina", "sofia", "olga", "mark"):
        world.records[name] = _records(m[name].organization, m[name], name.title())
    for org in (acme, globex):
        world.catalogue[org.slug] = {
            "product": f.ProductFactory(organization=org, name=f"{org.name} widget"),
            "technique": f.TechniqueFactory(organization=org, name=f"{org.name} SPIN"),
            "rate": f.ExchangeRateFactory(organization=org, currency="GBP",
                                          date=dt.date(2026, 1, 1), rate=Decimal("1.15")),
        }  # fmt: skip
    return world
