"""The demo's rep (rep@demo.example, of North) sees her team on the leaderboard:
every active rep of North by name, ranked, and nobody of Centre or South."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rumbo.demo.normal import DEMO_SLUG, REP_LOGIN
from rumbo.tenancy.models import Member
from tests.dashboards.page import Page
from tests.demo.test_normal import build


@pytest.mark.django_db
def test_the_demo_rep_sees_her_team_ranked() -> None:
    build()
    rep = Member.objects.select_related("user", "team").get(organization__slug=DEMO_SLUG,
                                                            email=REP_LOGIN)  # fmt: skip
    assert rep.team is not None and rep.team.name == "North"
    people = Member.objects.filter(organization__slug=DEMO_SLUG, role="rep", is_active=True)
    north = set(people.filter(team__name="North").values_list("name", flat=True))
    elsewhere = set(people.exclude(team__name="North").values_list("name", flat=True))
    assert len(north) == 9 and elsewhere
    client = Client()
    client.force_login(rep.user)
    page = Page(client.get(reverse("metrics:leaderboard"), {
        "period": "custom", "start": "2026-04-01", "end": "2026-06-15"}).content)  # fmt: skip
    rows = [[cell.text() for cell in row.walk() if cell.tag == "td"]
            for row in page.all("standing")]  # fmt: skip
    names = {row[1].removesuffix(" you") for row in rows}
    assert names == north
    assert all(row[0].isdigit() for row in rows)  # everyone sold: everyone ranked
    assert page.text("own-standing") == "you"
