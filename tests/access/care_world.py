"""Care records for the walk: a plan per organisation and an open follow-up
of each rep (made directly: the walk needs rows, not a schedule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rumbo.care.models import (
    CalendarFeed,
    CarePlan,
    CareStep,
    CustomerHealth,
    FollowUp,
    HealthSettings,
)
from tests.personas import World


def care_records(world: World) -> None:
    if FollowUp.objects.exists():
        return
    for org in (world.acme, world.globex):
        plan = CarePlan.objects.create(organization=org, name=f"{org.name} care plan",
                                       is_default=True)  # fmt: skip
        CareStep.objects.create(plan=plan, kind="checkin", title="Check-in", delay_count=3)
    for name in ("rita", "nina", "sofia", "olga"):
        member = world.members[name]
        FollowUp.objects.create(
            organization=member.organization, owner=member,
            customer=world.records[name].customer, deal=world.records[name].deal,
            kind="checkin", title=f"{member.name} follow-up", due_on=dt.date(2026, 12, 1),
        )  # fmt: skip
        # Customer health: each rep's customer's stored band, and a calendar link.
        CustomerHealth.objects.create(organization=member.organization, band="green", score=100,
                                      customer=world.records[name].customer,
                                      since=dt.date(2026, 12, 1))  # fmt: skip
        CalendarFeed.objects.create(member=member, token_hash=f"{name:0>64}")
        survey_rows(member, world.records[name])
    for org in (world.acme, world.globex):
        HealthSettings.objects.create(organization=org)


def care_labels() -> list[tuple[str, Any]]:
    return [(x.title, x) for x in FollowUp.objects.all()]


def survey_rows(member: Any, records: Any) -> None:
    """A survey emailed to each rep's contact (its link's token is the rep's name
    padded), and an opt-out per organisation."""
    from rumbo.care.models import SurveyInvitation, SurveyLink, SurveyOptOut

    invitation = SurveyInvitation.objects.create(
        organization=member.organization, contact=records.contact,
        email=f"{member.name}@example.com",
        customer=records.customer, deal=records.deal, rep=member, kind="csat", language="en",
        expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    token_hash = f"survey-{member.name}".ljust(64, "0")
    SurveyLink.objects.create(invitation=invitation, token_hash=token_hash)
    SurveyOptOut.objects.get_or_create(organization=member.organization, email="gone@example.com")
