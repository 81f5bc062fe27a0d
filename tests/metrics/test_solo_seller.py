"""The scorecard and leaderboard of an independent seller: her score is her
own (her organisation and its one team are her), and the leaderboard says
plainly that she has nobody to be ranked against."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.models import Member
from tests import factories as f
from tests.personas import World
from tests.solo import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller() -> Member:
    member = make_seller()
    org = member.organization
    customer = f.CustomerFactory(organization=org, owner=member, name="Bodega Sol")
    f.DealFactory(
        organization=org, owner=member, customer=customer, outcome="won", stage="closed",
        closed_on=timezone.localdate() - dt.timedelta(days=1), currency="EUR",
        amount=Decimal("900.00"), amount_base=Decimal("900.00"),
    )  # fmt: skip
    metrics_rebuild(organization=org)
    return member


def page(member: Member, url: str) -> str:
    client = Client()
    client.force_login(member.user)  # type: ignore[arg-type]
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def test_her_scorecard_is_her_own_with_nothing_else_to_choose(seller: Member) -> None:
    html = page(seller, "/scorecard/")
    assert "Scorecard: Ana Ruiz<" in html
    assert 'name="scope" id="id_scope"' not in html  # no "Whose": the organisation is her
    assert 'data-testid="score"' in html


def test_her_leaderboard_says_she_sells_alone(seller: Member) -> None:
    html = page(seller, "/leaderboard/")
    assert "You sell on your own, so there is nobody to rank you against." in html
    assert 'data-testid="leaderboard-table"' not in html
    assert 'data-testid="own-score"' in html


def test_an_organisation_with_people_still_has_its_ranking(world: World) -> None:
    html = page(world.alice, "/leaderboard/")
    assert 'data-testid="leaderboard-table"' in html
    assert "nobody to rank you against" not in html
