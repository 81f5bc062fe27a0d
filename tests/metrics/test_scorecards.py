"""Scores and leaderboards: the arithmetic on worked cases (numbers worked by
hand in the comments, never by the code under test), the figures against an
independent computation from the source rows (tests/metrics/oracle.py),
targets scaled by period and headcount or taken from a goal, movement, and
scoping."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.http import Http404

from rumbo.goals.models import Goal
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
from rumbo.metrics.services import metrics_rebuild
from rumbo.metrics.targets import PeriodTargets
from tests import factories as f
from tests.metrics import data, oracle

D = dt.date
M = registry.METRICS
ONE_MONTH = PeriodTargets(Decimal(1))


def card(*lines: tuple[str, int, int | str]) -> Scorecard:
    return Scorecard(tuple(Line(M[k], Decimal(w), Decimal(t)) for k, w, t in lines),
                     configured=True)  # fmt: skip


def parts_of(scorecard: Scorecard, **totals: int) -> tuple[Decimal | None, tuple]:  # type: ignore[type-arg]
    return score_parts(scorecard, {k: Decimal(v) for k, v in totals.items()}, ONE_MONTH,
                       ("rep", 1), 1)  # fmt: skip


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


def test_overachieving_quantity_does_not_make_up_for_missed_quality() -> None:
    # Four deals won against a target of two: 200 %, but it counts 100.
    # One complaint on 4 deals = 25 per 100 against a target of 10: 10 / 25 = 40 %.
    # Quantity half 100 (weight 1), quality half 40 (weight 3):
    # 100^(1/4) × 40^(3/4) = 3.1623 × 15.905 = 50.297 → 50.2 (rounded down).
    score, (deals, complaint) = parts_of(card(("deals_won", 1, 2), ("complaint_rate", 3, 10)),
                                         deals_won=4, complaints_opened=1)  # fmt: skip
    assert (deals.attainment, deals.credit, deals.met) == (200, 100, True)
    assert (complaint.actual, complaint.attainment, complaint.credit) == (25, 40, 40)
    assert score == Decimal("50.2")
    # Meeting the complaints target is the only lift: 100 − 50.2.
    assert (deals.lift, complaint.lift) == (0, Decimal("49.8"))


def test_a_team_at_100_on_quantity_shows_its_missed_quality_targets() -> None:
    # The team: activities at 202 %, complaints at 516 % of target, CSAT
    # at 90 % and NPS at 55 %. The old rule (capped at 150 %, arithmetic mean)
    # said 100.0. Now: quantity 100 (weight 10); quality (10×100 + 20×90 +
    # 10×55) / 40 = 83.75 (weight 40); 100^0.2 × 83.75^0.8 = 86.77 → 86.7.
    scorecard = card(("activities", 10, 40), ("complaint_rate", 10, 5), ("csat", 20, 80),
                     ("nps", 10, 30))  # fmt: skip
    score, parts = parts_of(scorecard, activities=81, complaints_opened=1, deals_won=103,
                            csat_positive=72, csat_responses=100, nps_promoters=33,
                            nps_detractors=0, nps_responses=200)  # fmt: skip
    assert score == Decimal("86.7")
    assert [p.met for p in parts] == [True, True, False, False]
    # NPS met: quality 95 → 100^0.2 × 95^0.8 = 95.9 (+9.2); CSAT met: 88.75 →
    # 90.8 (+4.1). NPS lifts the score most.
    assert [p.lift for p in parts] == [0, 0, Decimal("4.1"), Decimal("9.2")]


def test_100_means_every_target_met_and_a_near_miss_is_not_rounded_up() -> None:
    # CSAT 1,999 of 2,500 = 79.96 % against 80 %: 99.95 % of target → 99.9, not 100.
    near, _parts = parts_of(card(("csat", 1, 80)), csat_positive=1999, csat_responses=2500)
    assert near == Decimal("99.9")
    met, _parts = parts_of(card(("csat", 1, 80), ("deals_won", 1, 2)), csat_positive=4,
                           csat_responses=5, deals_won=2)  # fmt: skip
    assert met == 100


def test_a_metric_without_data_is_left_out() -> None:
    scorecard = card(("deals_won", 1, 2), ("csat", 1, 80))
    score, parts = parts_of(scorecard, deals_won=6, csat_positive=0, csat_responses=0)
    assert parts[1].no_data and parts[1].credit is None and parts[1].lift == 0
    assert score == 100  # the only metric with data met its target
    nothing, _parts = parts_of(card(("csat", 1, 80)), csat_positive=0, csat_responses=0)
    assert nothing is None


def test_no_complaints_on_a_lower_is_better_metric_is_the_target_met() -> None:
    score, parts = parts_of(card(("complaint_rate", 1, 5)), complaints_opened=0, deals_won=3)
    assert (parts[0].attainment, parts[0].credit, score) == (100, 100, 100)


def test_an_average_is_scored_as_a_rate_not_a_running_total() -> None:
    # A team of two exactly on its average deal size of 1,000 over a quarter:
    # the target is 1,000 (not 1,000 × 3 months × 2 people = 6,000, the old 16.7 %).
    scorecard = card(("avg_deal_size", 1, 1000))
    targets = PeriodTargets(Decimal(3))
    totals = {"won_amount": Decimal(9000), "deals_won": Decimal(9)}
    score, (part,) = score_parts(scorecard, totals, targets, None, 2)
    assert (part.target, part.attainment, score) == (1000, 100, 100)


@pytest.mark.django_db
def test_a_rep_score_from_the_rollups_on_a_known_case(world) -> None:  # type: ignore[no-untyped-def]
    won(world.acme, world.nina, D(2025, 1, 10), n=4)
    complaints(world.acme, world.nina, D(2025, 1, 12))
    metrics_rebuild(organization=world.acme)
    scorecard = card(("deals_won", 1, 2), ("complaint_rate", 3, 10))
    rows = scorecard_scores(actor=world.alice, scope=Scope("rep", world.nina.pk),
                            start=D(2025, 1, 1), end=D(2025, 1, 31), card=scorecard)  # fmt: skip
    assert [(s.name, s.score) for s in rows] == [("Nina", Decimal("50.2"))]  # worked above
    assert rows[0].biggest_lift is not None
    assert rows[0].biggest_lift.metric.key == "complaint_rate"


@pytest.fixture
def filled(world):  # type: ignore[no-untyped-def]
    data.fill(world.acme, [world.rita, world.nina, world.sofia, world.mark], deals=80)
    metrics_rebuild(organization=world.acme)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(D(2025, 1, 1), D(2025, 6, 30)),
                                            (D(2025, 2, 11), D(2025, 7, 20))])  # fmt: skip
def test_score_lines_show_the_figures_of_the_source_rows(filled, start, end) -> None:  # type: ignore[no-untyped-def]
    scorecard = default_scorecard()
    comps = oracle.components(filled.acme)
    members = {m.pk: m for m in filled.acme.members.all()}
    for by in ("rep", "team"):
        scores = scorecard_scores(actor=filled.alice, start=start, end=end, by=by, card=scorecard)
        seen = {s.key for s in scores}
        for line in scorecard.lines:
            ask = oracle.Ask(set(members), start, end, by)
            expected = oracle.additive(line.metric.key, comps, ask, members)
            for score in scores:
                part = next(p for p in score.parts if p.metric is line.metric)
                want = expected.get(score.key)
                if want is None:  # no rows at all: zero for a running total, else no data
                    want = Decimal(0) if line.metric.accumulates else None
                got = part.actual
                assert (got is None) == (want is None), (by, score.name, line.metric.key)
                if got is not None:
                    assert abs(got - want) < Decimal("0.001"), (by, score.name, line.metric.key)
        assert seen  # somebody was scored


def _by_hand(parts: tuple) -> Decimal | None:  # type: ignore[type-arg]
    """The score from its breakdown, written out: weighted means of the capped
    attainments per half, then their weighted geometric mean, rounded down."""
    halves: dict[str, list[float]] = {"quantity": [0.0, 0.0], "quality": [0.0, 0.0]}
    for p in parts:
        if p.actual is None:
            continue
        capped = min(float(p.attainment), 100.0)
        halves[p.metric.family][0] += float(p.weight) * capped
        halves[p.metric.family][1] += float(p.weight)
    total = sum(w for _e, w in halves.values())
    if not total:
        return None
    if all(p.actual is None or p.attainment >= 100 for p in parts):
        return Decimal(100)
    means = [(e / w, w) for e, w in halves.values() if w]
    if any(m <= 0 for m, _w in means):
        return Decimal(0)
    value = math.exp(sum(w * math.log(m) for m, w in means) / total)
    return Decimal(math.floor(value * 10 + 1e-9)) / 10


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["rep", "team", None])
def test_the_score_is_the_one_its_breakdown_works_out_to(filled, by) -> None:  # type: ignore[no-untyped-def]
    found = scorecard_scores(actor=filled.alice, start=D(2025, 2, 11), end=D(2025, 7, 20), by=by)
    assert found
    for score in found:
        assert score.score == _by_hand(score.parts), score.name


@pytest.mark.django_db
def test_cumulative_targets_scale_with_months_and_headcount(filled) -> None:  # type: ignore[no-untyped-def]
    scorecard = card(("deals_won", 1, 4), ("win_rate", 1, 30))
    teams = scorecard_scores(actor=filled.alice, start=D(2025, 1, 1), end=D(2025, 3, 31),
                             by="team", card=scorecard)  # fmt: skip
    north = next(s for s in teams if s.key == filled.teams["north"].pk)
    assert north.headcount == 2  # Rita, and Mark who sells
    deals, rate = north.parts
    assert (deals.target, deals.source) == (4 * 3 * 2, "scorecard")
    assert rate.target == 30  # a rate's target is the rate itself
    everyone = scorecard_scores(actor=filled.alice, start=D(2025, 1, 1), end=D(2025, 1, 31),
                                by=None, card=scorecard)[0]  # fmt: skip
    assert everyone.headcount == 4 and everyone.parts[0].target == 16


@pytest.mark.django_db
def test_a_goal_on_the_metric_and_period_is_the_scorecard_target(filled) -> None:  # type: ignore[no-untyped-def]
    quarter = {"start": D(2025, 1, 1), "end": D(2025, 3, 31)}
    scorecard = card(("deals_won", 1, 4), ("win_rate", 1, 30))
    Goal.objects.create(organization=filled.acme, metric="deals_won", member=filled.nina,
                        target=Decimal(33), **quarter)  # fmt: skip
    Goal.objects.create(organization=filled.acme, metric="win_rate", target=Decimal(45),
                        **quarter)  # the organisation's  # fmt: skip
    Goal.objects.create(
        organization=filled.acme,
        metric="deals_won",
        member=filled.rita,
        target=Decimal(50),
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
    )
    reps = {s.name: s for s in scorecard_scores(actor=filled.alice, by="rep", card=scorecard,
                                                 **quarter)}  # fmt: skip
    nina, rita = reps["Nina"].parts, reps["Rita"].parts
    assert (nina[0].target, nina[0].source) == (33, "goal")
    assert (rita[0].target, rita[0].source) == (12, "scorecard")  # her goal is for the year
    assert (nina[1].target, nina[1].source) == (30, "scorecard")  # no goal of hers on it
    org = scorecard_scores(actor=filled.alice, by=None, card=scorecard, **quarter)[0]
    assert (org.parts[1].target, org.parts[1].source) == (45, "goal")
    assert (org.parts[0].target, org.parts[0].source) == (4 * 3 * 4, "scorecard")
    # The leaderboard ranks by the same targets as the scorecard.
    board = {s.name: s.value for s in leaderboard(actor=filled.alice, card=scorecard, **quarter)}
    assert board == {name: s.score for name, s in reps.items()}


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
