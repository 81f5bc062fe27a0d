"""The personas world as the walk uses it: who walks, which records exist and
which texts name them (to notice a record leaking onto a page it should not)."""

from __future__ import annotations

from typing import Any

from django.db import models

from rumbo.imports.models import ImportJob
from rumbo.metrics.services import metrics_rebuild
from rumbo.notifications.models import Notification
from rumbo.notifications.services import notification_send
from rumbo.tenancy.models import ApiToken, Member
from rumbo.tenancy.services import api_token_create
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
    found += [(n.title, n) for n in Notification.objects.all()]
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


def prepare(world: World) -> dict[str, str]:
    """What the personas world lacks, made for the walk: a bearer token and an
    unread notification per persona (each also a record everybody but its
    holder must be refused), an import job per organisation, and the metric
    rollups of the records. Returns the raw tokens."""
    raw = {}
    for name in PERSONAS:
        member: Member = world.members[name]
        _token, raw[name] = api_token_create(member=member, name=f"{name} walk token")
        notification_send(recipient=member, kind="walk", subject_key="walk:1",
                          title=f"{name.title()} notification", body="", link="/")  # fmt: skip
    for org, admin in ((world.acme, world.alice), (world.globex, world.oscar)):
        ImportJob.objects.create(organization=org, created_by=admin, kind="customers",
                                 file_name=f"{org.name} walk.csv", file_path="")  # fmt: skip
        metrics_rebuild(organization=org)
    return raw


def token_rows() -> list[ApiToken]:
    return list(ApiToken.objects.select_related("member").order_by("pk"))
