"""Write cases of the access walk (see `moves`): as every persona of both
organisations, every API change operation and every edit form is asked to
move records into and out of scopes the persona does not hold, and the
records, re-read from the database, have not moved."""

from __future__ import annotations

import pytest

from tests.access import checks
from tests.access.api import operations
from tests.access.moves import walk_api_moves, walk_form_moves
from tests.access.pages import walkable_pages
from tests.access.test_api_walk import document
from tests.access.test_pages_walk import record_routes
from tests.access.walker import Walker
from tests.access.world import PERSONAS, prepare
from tests.personas import World

pytestmark = pytest.mark.django_db


def api_moves(world: World, persona: str, only: set[str] | None = None) -> checks.Report:
    ops = [op for op in operations(document())[0] if op.kind == "update"]
    if only is not None:
        ops = [op for op in ops if str(op) in only]
    prepare(world)
    report = checks.Report(f"API moves as {persona}")
    w = Walker(world, persona, report)
    for op in ops:
        walk_api_moves(w, op)
    return report


def form_moves(world: World, persona: str, only: set[str] | None = None) -> checks.Report:
    pages = walkable_pages()[0]
    edits = [p for p in pages if p.kind == "edit" and (only is None or p.name in only)]
    prepare(world)
    report = checks.Report(f"form moves as {persona}")
    w = Walker(world, persona, report, routes=record_routes(pages))
    for page in edits:
        walk_form_moves(w, page)
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_api_change_moves_a_record_out_of_reach_as(persona: str, world: World) -> None:
    report = api_moves(world, persona)
    assert report.calls > 0
    report.assert_clean()


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_edit_form_moves_a_record_out_of_reach_as(persona: str, world: World) -> None:
    report = form_moves(world, persona)
    assert report.calls > 0
    report.assert_clean()


def test_the_goal_re_owning_of_issue_14_is_a_walk_case(world: World) -> None:
    """The walk tries it: Mark moving the organisation goal to his team."""
    report = api_moves(world, "mark", only={"PATCH /api/v1/goals/{id}"})
    assert report.by_where["PATCH /api/v1/goals/{id} (move)"] > 0
    report.assert_clean()
