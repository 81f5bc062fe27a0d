"""The personas world as the walk uses it: who walks, which records exist and
which texts name them (to notice a record leaking onto a page it should not)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from rumbo.goals.models import Goal
from rumbo.imports.models import Alias, ColumnMapping, ImportJob
from rumbo.metrics.services import metrics_rebuild
from rumbo.notifications.models import Notification
from rumbo.notifications.services import notification_send
from rumbo.recognition.models import Badge, Kudos, RuleSetting
from rumbo.sales.models import Activity, Complaint, Contact, Customer, Deal, SurveyResponse
from rumbo.tenancy.models import ApiToken, Member, Team
from rumbo.tenancy.services import api_token_create
from tests.access.care_world import care_labels, care_records
from tests.personas import World

# Every persona of both organisations; None is the anonymous visitor.
PERSONAS = ["alice", "mark", "sam", "rita", "nina", "sofia", "oscar", "olga"]


def records_of(model: type[models.Model]) -> list[Any]:
    """Every row of `model` in the test database (both organisations)."""
    return list(model._default_manager.order_by("pk"))


def labelled_records(world: World) -> list[tuple[str, Any]]:
    """(text, record) for texts that only a page about that record (or one
    listing it) would show: "Rita deal", "Sofia complaint", "Globex widget"."""
    found: list[tuple[str, Any]] = []
    for r in world.records.values():
        found += [(r.customer.name, r.customer), (r.contact.name, r.contact),
                  (r.deal.name, r.deal), (r.activity.notes, r.activity),
                  (r.survey.comment, r.survey), (r.complaint.description, r.complaint)]  # fmt: skip
    found += [(job.file_name, job) for job in ImportJob.objects.all()]
    found += [(goal.name, goal) for goal in Goal.objects.all()]
    found += [(alias.spelling, alias) for alias in Alias.objects.all()]
    found += [(mapping.name, mapping) for mapping in ColumnMapping.objects.all()]
    found += [(n.title, n) for n in Notification.objects.all()]
    found += [(k.text, k) for k in Kudos.objects.all()]
    found += care_labels()
    for items in world.catalogue.values():
        found += [(items["product"].name, items["product"]),
                  (items["technique"].name, items["technique"])]  # fmt: skip
    return found


def leak_markers(world: World) -> list[tuple[str, Any]]:
    """(text, record): texts that must not reach anyone who cannot see the record.
    People's names are short words, so they count only as a whole element's
    text or a whole JSON string ("Sam" must not match "Samoa")."""
    found = labelled_records(world)
    for member in world.members.values():
        found += [(f">{member.name}<", member), (f'"{member.name}"', member)]
    return found


def named_references(member: Member | None) -> set[Any]:
    """Records whose name `member` may read without opening them (ADR 0011):
    those that a record they can see points at (a team's manager, a deal's
    customer). Every other trace of them still counts as a leak."""
    if member is None:
        return set()
    named: set[Any] = set()
    for model in (Team, Member, Customer, Contact, Deal, Activity, SurveyResponse, Complaint,
                  Badge, Kudos):  # fmt: skip
        fields = [f.name for f in model._meta.concrete_fields
                  if f.is_relation and f.name != "organization"]  # fmt: skip
        for obj in model.objects.visible_to(member).select_related(*fields):
            named.update(r for r in (getattr(obj, name) for name in fields) if r is not None)
    return named


def prepare(world: World) -> dict[str, str]:
    """What the personas world lacks, made for the walk: a bearer token and an
    unread notification per persona (each also a record everybody but its
    holder must be refused), an import job, an alias and a saved mapping per
    organisation, goals, and the metric rollups of the records. Returns the
    raw tokens."""
    raw = {}
    for name in PERSONAS:
        member: Member = world.members[name]
        _token, raw[name] = api_token_create(member=member, name=f"{name} walk token")
        notification_send(recipient=member, kind="walk", subject_key="walk:1",
                          title=f"{name.title()} notification", body="", link="/")  # fmt: skip
    for org, admin in ((world.acme, world.alice), (world.globex, world.oscar)):
        ImportJob.objects.create(organization=org, created_by=admin, kind="customers",
                                 file_name=f"{org.name} walk.csv", file_path="")  # fmt: skip
        product = world.catalogue[org.slug]["product"]
        # get_or_create: a test may walk the API and then the pages (two prepares).
        Alias.objects.get_or_create(organization=org, kind="product",
                                    spelling=f"{org.name.lower()} walk alias",
                                    defaults={"record_id": product.pk})  # fmt: skip
        ColumnMapping.objects.get_or_create(organization=org, kind="customers",
                                            name=f"{org.name} walk mapping",
                                            defaults={"mapping": {"Account": "name"}})  # fmt: skip
        metrics_rebuild(organization=org)
    if not Goal.objects.exists():
        _goals(world)
    if not Kudos.objects.exists():
        _moments(world)
    care_records(world)
    return raw


def _moments(world: World) -> None:
    """Kudos and badges in both organisations (made directly: a badge award
    would also notify, and the same title for two people reads as a leak)."""
    for giver, receiver in (("mark", "rita"), ("alice", "sofia"), ("rita", "mark"),
                            ("oscar", "olga")):  # fmt: skip
        member = world.members[receiver]
        text = f"{giver.title()} thanks {receiver} walk"
        Kudos.objects.create(organization=member.organization, giver=world.members[giver],
                             receiver=member, text=text)  # fmt: skip
    for name in ("rita", "nina", "sofia", "mark", "olga"):
        member = world.members[name]
        Badge.objects.create(organization=member.organization, member=member, rule="promoter",
                             subject_key=f"customer:{world.records[name].customer.pk}",
                             link=f"/deals/{world.records[name].deal.pk}/",
                             earned_on=dt.date(2026, 1, 5))  # fmt: skip
    for org in (world.acme, world.globex):
        RuleSetting.objects.create(organization=org, rule="csat_month", enabled=False)


def _goals(world: World) -> None:
    """An active goal of each rep, a proposal of Rita's, a goal of each team
    and one of each organisation (made directly: the walk needs rows, not
    timelines)."""
    period = {"metric": "revenue", "target": 1000, "start": dt.date(2026, 1, 1),
              "end": dt.date(2026, 12, 31)}  # fmt: skip
    for name in ("rita", "nina", "sofia", "olga"):
        member = world.members[name]
        Goal.objects.create(organization=member.organization, member=member,
                            name=f"{member.name} goal", **period)  # fmt: skip
    Goal.objects.create(organization=world.acme, member=world.members["rita"], state="proposed",
                        name="Rita proposal", **period)  # fmt: skip
    for key, team in world.teams.items():
        Goal.objects.create(organization=team.organization, team=team, name=f"{key} team goal",
                            **period)  # fmt: skip
    for org in (world.acme, world.globex):
        Goal.objects.create(organization=org, name=f"{org.name} organisation goal", **period)


def token_rows() -> list[ApiToken]:
    return list(ApiToken.objects.select_related("member").order_by("pk"))
