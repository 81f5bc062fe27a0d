"""The normal demo at a tenth of its size: deterministic, valid, believable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, Q

from rumbo.demo.normal import DEMO_SLUG, SOLO_SLUG, build_normal
from rumbo.demo.profiles import CHARACTERS
from rumbo.sales.models import Complaint, Deal, SurveyResponse
from rumbo.tenancy.models import Member, Organization
from tests.demo.checks import assert_valid, summary

TODAY = dt.date(2026, 6, 15)
SMALL, MEDIUM = 0.02, 0.1  # MEDIUM: enough deals per rep for their traits to show
CHARACTER = {c.key: c.name for c in CHARACTERS}


def build(seed: int = 7, scale: float = SMALL) -> None:
    build_normal(seed=seed, scale=scale, today=TODAY)


@pytest.mark.django_db
def test_same_seed_gives_the_same_data() -> None:
    with transaction.atomic():
        build()
        first = (summary(DEMO_SLUG), summary(SOLO_SLUG))
        transaction.set_rollback(True)
    assert not Organization.objects.filter(slug=DEMO_SLUG).exists()
    build()
    assert (summary(DEMO_SLUG), summary(SOLO_SLUG)) == first


@pytest.mark.django_db
def test_another_seed_gives_other_data() -> None:
    with transaction.atomic():
        build(seed=1)
        first = summary(DEMO_SLUG)
        transaction.set_rollback(True)
    build(seed=2)
    assert summary(DEMO_SLUG)["amounts"] != first["amounts"]


@pytest.mark.django_db
def test_demo_organisations_are_shaped_as_promised() -> None:
    build()
    demo = Organization.objects.get(slug=DEMO_SLUG)
    assert (demo.name, demo.currency, demo.time_zone, demo.language) == (
        "Rumbo Demo", "EUR", "Europe/Madrid", "en",
    )  # fmt: skip
    members = Member.objects.filter(organization=demo)
    assert members.filter(role="admin").count() == 1
    managers = members.filter(role="manager").select_related("team__parent")
    assert sorted(m.team.name for m in managers) == ["Centre", "North", "South"]
    assert all(m.team.parent.name == "Rumbo Demo" for m in managers)
    reps = members.filter(role="rep")
    assert reps.count() == 25
    # Reps known only from the CRM have no login, yet own deals.
    crm_only = reps.filter(user__isnull=True, email="")
    assert crm_only.exists()
    assert Deal.objects.filter(owner__in=crm_only).exists()
    solo = Organization.objects.get(slug=SOLO_SLUG)
    assert solo.is_independent
    assert Member.objects.filter(organization=solo).count() == 1
    assert Deal.objects.filter(organization=solo).count() >= 20


@pytest.mark.django_db
def test_demo_data_is_valid() -> None:
    build(scale=0.05)
    assert_valid(DEMO_SLUG, TODAY)
    assert_valid(SOLO_SLUG, TODAY)


def _rep_figures(name: str) -> dict[str, float]:
    rep = Member.objects.get(organization__slug=DEMO_SLUG, name=name)
    deals = Deal.objects.filter(owner=rep).aggregate(
        won=Count("id", filter=Q(outcome="won")), lost=Count("id", filter=Q(outcome="lost"))
    )
    csat = SurveyResponse.objects.filter(rep=rep, kind="csat").aggregate(
        good=Count("id", filter=Q(score__gte=4)), all=Count("id")
    )
    wins = Deal.objects.filter(owner=rep, outcome="won").order_by("closed_on", "id")
    seen: set[int | None] = set()
    repeats = 0
    for customer_id in wins.values_list("customer_id", flat=True):
        repeats += customer_id in seen
        seen.add(customer_id)
    return {
        "win_rate": deals["won"] / (deals["won"] + deals["lost"]),
        "csat": csat["good"] / csat["all"],
        "complaints_per_win": Complaint.objects.filter(rep=rep).count() / deals["won"],
        "repeat_rate": repeats / deals["won"],
    }


@pytest.mark.django_db
def test_best_rep_by_design_outsells_and_outserves_the_worst() -> None:
    build(scale=MEDIUM)
    best, worst = _rep_figures(CHARACTER["star"]), _rep_figures(CHARACTER["struggling"])
    assert best["win_rate"] > worst["win_rate"]
    assert best["csat"] > worst["csat"]
    assert best["complaints_per_win"] < worst["complaints_per_win"]
    assert best["repeat_rate"] > worst["repeat_rate"]


@pytest.mark.django_db
def test_the_closer_wins_deals_but_customers_complain() -> None:
    build(scale=MEDIUM)
    closer, caring = _rep_figures(CHARACTER["closer"]), _rep_figures(CHARACTER["caring"])
    assert closer["win_rate"] > caring["win_rate"]
    assert closer["csat"] < caring["csat"]
    assert closer["complaints_per_win"] > caring["complaints_per_win"]


@pytest.mark.django_db
def test_sales_peak_in_the_fourth_quarter_and_dip_in_august() -> None:
    build(scale=MEDIUM)
    won = Deal.objects.filter(organization__slug=DEMO_SLUG, outcome="won")
    by_month = dict(won.values_list("closed_on__month").annotate(n=Count("id")).order_by())
    assert by_month[12] > by_month[8] * 1.8
    assert by_month[11] + by_month[12] > by_month[2] + by_month[3]


@pytest.mark.django_db
def test_no_two_customers_of_an_organisation_share_a_name() -> None:
    # Namesakes make an import naming one of them refused as ambiguous.
    from rumbo.sales.models import Customer

    build(scale=1.0)
    for slug in (DEMO_SLUG, SOLO_SLUG):
        customers = Customer.objects.filter(organization__slug=slug)
        assert customers.count() > 100
        names = customers.values("name").annotate(n=Count("id")).filter(n__gt=1)
        assert list(names.values_list("name", "n")) == []
