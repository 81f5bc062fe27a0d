"""The follow-ups export: a rep's CSV holds her follow-ups only, with the
headers and values a person reads on the list."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from rumbo.care.models import FollowUp

pytestmark = pytest.mark.django_db


def test_a_rep_exports_her_own_follow_ups(world) -> None:  # type: ignore[no-untyped-def]
    for who, title in (("rita", "Call Rita's customer"), ("nina", "Call Nina's customer")):
        FollowUp.objects.create(
            organization=world.acme, owner=world.members[who],
            customer=world.records[who].customer, deal=world.records[who].deal,
            kind="checkin", title=title, due_on=dt.date(2026, 3, 4), status="done",
            done_on=dt.date(2026, 3, 5),
        )  # fmt: skip
    response = world.client("rita").get(reverse("imports:export", args=["follow_ups"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Assigned to", "Customer", "Deal", "What", "Title", "Due", "Status",
                       "Done on", "Why it stopped"]  # fmt: skip
    mine = world.records["rita"]
    assert rows[1:] == [
        [
            world.rita.email,
            mine.customer.name,
            mine.deal.name,
            "Check-in call",
            "Call Rita's customer",
            "2026-03-04",
            "Done",
            "2026-03-05",
            "",
        ]
    ]
