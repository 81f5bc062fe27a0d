"""Evaluation: month rollups for whole months plus day rollups for the edges give
the same figures as the source rows, for every metric, grouping and scope, and
only ever over what the asking member may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.selectors import evaluate, split_period
from rumbo.metrics.services import metrics_rebuild
from tests.metrics import data
from tests.metrics.checks import assert_evaluates

D = dt.date


def test_a_period_splits_into_whole_months_and_ragged_edges() -> None:
    assert split_period(D(2025, 1, 15), D(2025, 4, 10)) == (
        (D(2025, 2, 1), D(2025, 3, 1)),
        [(D(2025, 1, 15), D(2025, 1, 31)), (D(2025, 4, 1), D(2025, 4, 10))],
    )
    assert split_period(D(2025, 1, 1), D(2025, 3, 31)) == ((D(2025, 1, 1), D(2025, 3, 1)), [])
    assert split_period(D(2025, 1, 5), D(2025, 1, 20)) == (None, [(D(2025, 1, 5), D(2025, 1, 20))])
    assert split_period(D(2025, 1, 5), D(2025, 2, 3)) == (
        None, [(D(2025, 1, 5), D(2025, 2, 3))])  # fmt: skip


@pytest.fixture
def filled(world):  # type: ignore[no-untyped-def]
    data.fill(world.acme, [world.rita, world.nina, world.sofia, world.mark], deals=80)
    metrics_rebuild(organization=world.acme)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("by", [None, "rep", "team", "month", "week"])
def test_every_metric_equals_the_source_for_a_ragged_period(filled, by) -> None:  # type: ignore[no-untyped-def]
    for metric in registry.METRICS:
        assert_evaluates(filled.alice, metric, Scope(), D(2025, 2, 11), D(2025, 7, 20), by)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "scope"),
    [("mark", "org"), ("mark", "team:north_east"), ("rita", "org"), ("sam", "org"),
     ("alice", "team:north"), ("alice", "rep:nina")],
)  # fmt: skip
def test_figures_cover_only_what_the_asker_sees(filled, persona, scope) -> None:  # type: ignore[no-untyped-def]
    kind, _sep, name = scope.partition(":")
    ident = (filled.teams[name].pk if kind == "team" else filled.members[name].pk) if name else None
    chosen = Scope(kind, ident)  # type: ignore[arg-type]
    for metric in ("revenue", "win_rate", "nps", "pipeline_value", "retention"):
        for by in (None, "rep", "month"):
            assert_evaluates(filled.members[persona], metric, chosen, D(2025, 1, 1),
                             D(2025, 12, 31), by)  # fmt: skip


@pytest.mark.django_db
def test_a_rep_sees_only_their_own_figures(filled) -> None:  # type: ignore[no-untyped-def]
    rows = evaluate(actor=filled.rita, metric=registry.METRICS["revenue"], start=D(2025, 1, 1),
                    end=D(2025, 12, 31), group_by="rep").rows  # fmt: skip
    assert [row.key for row in rows] == [filled.rita.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "scope"), [
    ("mark", "rep:sofia"), ("mark", "team:south"), ("rita", "rep:nina"),
    ("alice", "team:globex"), ("oscar", "rep:rita"),
])  # fmt: skip
def test_a_scope_the_asker_cannot_see_is_not_found(filled, persona, scope) -> None:  # type: ignore[no-untyped-def]
    kind, _sep, name = scope.partition(":")
    ident = filled.teams[name].pk if kind == "team" else filled.members[name].pk
    with pytest.raises(Http404):
        evaluate(actor=filled.members[persona], metric=registry.METRICS["revenue"],
                 scope=Scope(kind, ident), start=D(2025, 1, 1), end=D(2025, 1, 31))  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.django_db
def test_grouping_by_month_lists_every_month_of_the_period(filled) -> None:  # type: ignore[no-untyped-def]
    rows = evaluate(actor=filled.alice, metric=registry.METRICS["win_rate"],
                    start=D(2024, 11, 20), end=D(2025, 2, 3), group_by="month").rows  # fmt: skip
    assert [row.name for row in rows] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert rows[0].value is None  # nothing closed then: no rate, rather than 0 %


@pytest.mark.django_db
def test_no_grouping_answers_one_row_even_without_figures(world) -> None:  # type: ignore[no-untyped-def]
    for key, empty in (("revenue", Decimal(0)), ("win_rate", None), ("retention", None),
                       ("pipeline_value", Decimal(0))):  # fmt: skip
        rows = evaluate(actor=world.alice, metric=registry.METRICS[key], start=D(2020, 1, 1),
                        end=D(2020, 1, 31)).rows  # fmt: skip
        assert [(row.key, row.value) for row in rows] == [(None, empty)]
