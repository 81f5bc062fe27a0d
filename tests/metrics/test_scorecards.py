"""Scores and leaderboards: the arithmetic on a known case, agreement with
`evaluate`, targets scaled by period and headcount, movement, and scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.leaderboards import leaderboard, sort_standings
from rumbo.metrics.scorecards import (
    Line,
    Scorecard,
    default_scorecard,
    months_in,
    score_parts,
    scorecard_scores,
)
from rumbo.metrics.selectors import evaluate, rounded
from rumbo.metrics.services import metrics_rebuild
from tests import factories as f
from tests.metrics import data

D = dt.date
M = registry.METRICS


def card(*lines: tuple[str, int, int, int]) -> Scorecard:
    return Scorecard(tuple(Line(M[k], Decimal(w), Decimal(t), Decimal(c))
                           for k, w, t, c in lines), configured=True)  # fmt: skip


def won(org, owner, day, n=1, amount="1000.00"):  # type: ignore[no-untyped-def]
    for _ in range(n):
        f.DealFactory(organization=org, owner=owner, outcome="won", stage="closed",
                      created_on=day - dt.timedelta(days=5), closed_on=day,
                      amount=Decimal(amount), amount_base=Decimal(amount),
                      currency=org.currency)  # fmt: skip


def complaints(org, rep, day, n=1):  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=org, owner=rep)
    for _ in range(n):
        opened = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        f.ComplaintFactory(organization=org, rep=rep, customer=customer, opened_at=opened)


def test_a_period_counts_months_by_their_share_of_days() -> None:
    assert months_in(D(2025, 1, 1), D(2025, 3, 31)) == 3
    assert months_in(D(2025, 4, 1), D(2025, 4, 15)) == Decimal("0.5")
    assert months_in(D(2025, 1, 1), D(2025, 12, 31)) == 12


def test_score_arithmetic_caps_overachievement_and_inverts_lower_is_better() -> None:
    # Four deals won against a target of two (200 %, capped at 150 %) weighs 1;
    # 25 complaints per 100 deals against a target of 10 (10 ÷ 25 = 40 %) weighs 3.
    scorecard = card(("deals_won", 1, 2, 150), ("complaint_rate", 3, 10, 150))
    totals = {"deals_won": Decimal(4), "complaints_opened": Decimal(1)}
    score, parts = score_parts(scorecard, totals, Decimal(1), 1)
    deals, complaint = parts
    assert (deals.attainment, deals.points, deals.capped) == (200, Decimal("1.5"), True)
    assert (complaint.actual, complaint.attainment) == (25, 40)
    assert complaint.points == Decimal("1.2")
    assert score == Decimal("67.5")  # (1.5 + 1.2) ÷ 4 × 100


def test_score_is_clipped_at_100_and_missing_data_is_left_out() -> None:
    scorecard = card(("deals_won", 1, 2, 150), ("csat", 1, 80, 150))
    totals = {"deals_won": Decimal(6), "csat_positive": Decimal(0), "csat_responses": Decimal(0)}
    score, parts = score_parts(scorecard, totals, Decimal(1), 1)
    assert parts[1].no_data and parts[1].points == 0
    assert score == 100  # 150 % on the only metric with data, clipped
    nothing, _parts = score_parts(card(("csat", 1, 80, 150)),
                                  {"csat_positive": Decimal(0), "csat_responses": Decimal(0)},
                                  Decimal(1), 1)  # fmt: skip
    assert nothing is None


def test_no_complaints_on_a_lower_is_better_metric_earns_the_cap() -> None:
    scorecard = card(("complaint_rate", 1, 5, 120))
    score, parts = score_parts(scorecard, {"complaints_opened": Decimal(0),
                                           "deals_won": Decimal(3)}, Decimal(1), 1)  # fmt: skip
    assert parts[0].attainment == 120 and score == 100


@pytest.mark.django_db
def test_a_rep_score_from_the_rollups_on_a_known_case(world) -> None:  # type: ignore[no-untyped-def]
    won(world.acme, world.nina, D(2025, 1, 10), n=4)
    complaints(world.acme, world.nina, D(2025, 1, 12))
    metrics_rebuild(organization=world.acme)
    scorecard = card(("deals_won", 1, 2, 150), ("complaint_rate", 3, 10, 150))
    rows = scorecard_scores(actor=world.alice, scope=Scope("rep", world.nina.pk),
                            start=D(2025, 1, 1), end=D(2025, 1, 31), card=scorecard)  # fmt: skip
    assert [(s.name, s.score) for s in rows] == [("Nina", Decimal("67.5"))]


@pytest.fixture
def filled(world):  # type: ignore[no-untyped-def]
    data.fill(world.acme, [world.rita, world.nina, world.sofia, world.mark], deals=80)
    metrics_rebuild(organization=world.acme)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(D(2025, 1, 1), D(2025, 6, 30)),
                                            (D(2025, 2, 11), D(2025, 7, 20))])  # fmt: skip
def test_scores_use_the_same_figures_as_evaluate(filled, start, end) -> None:  # type: ignore[no-untyped-def]
    scorecard = default_scorecard()
    for by in ("rep", "team"):
        scores = scorecard_scores(actor=filled.alice, start=start, end=end, by=by, card=scorecard)
        for line in scorecard.lines:
            rows = evaluate(actor=filled.alice, metric=line.metric, start=start, end=end,
                            group_by=by).rows  # fmt: skip
            expected = {row.key: row.value for row in rows}
            for score in scores:
                part = next(p for p in score.parts if p.metric is line.metric)
                got = rounded(part.actual, line.metric.unit)
                if score.key in expected:
                    assert got == expected[score.key], (by, score.name, line.metric.key)
                else:  # a rep with no figures at all: zero, or no data for a rate
                    assert got in (None, 0), (by, score.name, line.metric.key)


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["rep", "team", None])
def test_the_score_is_the_one_its_breakdown_adds_up_to(filled, by) -> None:  # type: ignore[no-untyped-def]
    for score in scorecard_scores(actor=filled.alice, start=D(2025, 2, 11), end=D(2025, 7, 20),
                                  by=by):  # fmt: skip
        expected, parts = score_parts(score.card, score.totals, score.months,
                                      max(score.headcount, 1))  # fmt: skip
        assert score.score == expected and score.parts == parts
        with_data = [p for p in parts if not p.no_data]
        if with_data:
            total = sum(p.points for p in with_data) / sum(p.weight for p in with_data) * 100
            assert abs(min(total, Decimal(100)) - score.score) <= Decimal("0.05")


@pytest.mark.django_db
def test_cumulative_targets_scale_with_months_and_headcount(filled) -> None:  # type: ignore[no-untyped-def]
    scorecard = card(("deals_won", 1, 4, 150), ("win_rate", 1, 30, 150))
    teams = scorecard_scores(actor=filled.alice, start=D(2025, 1, 1), end=D(2025, 3, 31),
                             by="team", card=scorecard)  # fmt: skip
    north = next(s for s in teams if s.key == filled.teams["north"].pk)
    assert north.headcount == 2  # Rita, and Mark who sells
    deals, rate = north.parts
    assert deals.target == 4 * 3 * 2
    assert rate.target == 30  # a rate's target is the rate itself
    everyone = scorecard_scores(actor=filled.alice, start=D(2025, 1, 1), end=D(2025, 1, 31),
                                by=None, card=scorecard)[0]  # fmt: skip
    assert everyone.headcount == 4 and everyone.parts[0].target == 16


@pytest.mark.django_db
def test_leaderboard_ranks_and_shows_movement_against_the_previous_period(world) -> None:  # type: ignore[no-untyped-def]
    acme = world.acme
    won(acme, world.nina, D(2025, 1, 5), n=3)
    won(acme, world.rita, D(2025, 1, 6), n=1)
    won(acme, world.sofia, D(2025, 1, 7), n=2)
    won(acme, world.rita, D(2025, 2, 3), n=4)
    won(acme, world.sofia, D(2025, 2, 4), n=4)
    won(acme, world.nina, D(2025, 2, 5), n=1)
    won(acme, world.mark, D(2025, 2, 6), n=2)
    metrics_rebuild(organization=acme)
    rows = leaderboard(actor=world.alice, key="deals_won", start=D(2025, 2, 1),
                       end=D(2025, 2, 28))  # fmt: skip
    table = [(s.rank, s.name, s.value, s.previous_rank, s.movement, s.is_new) for s in rows]
    assert table == [
        (1, "Rita", 4, 3, 2, False),  # up 2
        (1, "Sofia", 4, 2, 1, False),  # a tie shares the rank
        (3, "Mark", 2, None, None, True),  # no figures in January: new
        (4, "Nina", 1, 1, -3, False),  # down 3
    ]


@pytest.mark.django_db
def test_lower_is_better_ranks_the_smallest_first(world) -> None:  # type: ignore[no-untyped-def]
    won(world.acme, world.rita, D(2025, 3, 3), n=4)
    won(world.acme, world.nina, D(2025, 3, 3), n=4)
    complaints(world.acme, world.rita, D(2025, 3, 4), n=2)
    metrics_rebuild(organization=world.acme)
    rows = leaderboard(actor=world.alice, key="complaint_rate", start=D(2025, 3, 1),
                       end=D(2025, 3, 31))  # fmt: skip
    assert [(s.name, s.rank) for s in rows] == [("Nina", 1), ("Rita", 2), ("Sofia", None)]


@pytest.mark.django_db
def test_leaderboards_hold_only_the_people_the_asker_sees(filled) -> None:  # type: ignore[no-untyped-def]
    period = {"start": D(2025, 1, 1), "end": D(2025, 12, 31)}
    names = {p: {s.name for s in leaderboard(actor=filled.members[p], **period)}
             for p in ("alice", "mark", "rita", "sam")}  # fmt: skip
    assert names["alice"] == {"Mark", "Rita", "Nina", "Sofia"}
    assert names["mark"] == {"Mark", "Rita", "Nina"}
    assert names["rita"] == {"Rita"}
    assert names["sam"] == {"Sofia"}
    teams = {s.name for s in leaderboard(actor=filled.mark, by="team", **period)}
    assert teams == {"North", "North-East"}
    assert {s.name for s in leaderboard(actor=filled.oscar, **period)} == {"Olga"}


@pytest.mark.django_db
def test_a_scope_the_asker_cannot_see_is_not_found(filled) -> None:  # type: ignore[no-untyped-def]
    for persona, scope in (("rita", Scope("rep", filled.nina.pk)),
                           ("mark", Scope("team", filled.teams["south"].pk)),
                           ("oscar", Scope("rep", filled.rita.pk))):  # fmt: skip
        with pytest.raises(Http404):
            scorecard_scores(actor=filled.members[persona], scope=scope, start=D(2025, 1, 1),
                             end=D(2025, 1, 31))  # fmt: skip


@pytest.mark.django_db
def test_a_leaderboard_sorts_by_name_or_movement(world) -> None:  # type: ignore[no-untyped-def]
    won(world.acme, world.nina, D(2025, 1, 5), n=2)
    won(world.acme, world.rita, D(2025, 2, 6), n=3)
    won(world.acme, world.nina, D(2025, 2, 6), n=1)
    metrics_rebuild(organization=world.acme)
    rows = leaderboard(actor=world.alice, key="deals_won", start=D(2025, 2, 1),
                       end=D(2025, 2, 28))  # fmt: skip
    assert [s.name for s in sort_standings(rows, "-name")] == ["Sofia", "Rita", "Nina"]
    # Rita climbed one place; Nina and Sofia (no deal, third) fell one each.
    assert [s.name for s in sort_standings(rows, "-movement")] == ["Rita", "Nina", "Sofia"]
