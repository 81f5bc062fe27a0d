"""The walk covers everything: a page or API operation it cannot place fails
here, so adding one without telling the walk how to call it is not possible."""

from __future__ import annotations

import pytest

from tests.access.api import operations
from tests.access.pages import walkable_pages
from tests.access.world import prepare


def test_every_page_is_placed() -> None:
    pages, problems = walkable_pages()
    assert not problems, "Pages the access walk cannot call:\n" + "\n".join(problems)
    assert {p.kind for p in pages} >= {"list", "create", "detail", "edit", "delete"}


@pytest.mark.django_db
def test_every_record_page_has_records_to_walk(world) -> None:  # type: ignore[no-untyped-def]
    prepare(world)  # the walks make these
    pages, _problems = walkable_pages()
    empty = sorted({p.model._meta.label for p in pages
                    if p.has_pk and not p.model._default_manager.exists()})  # fmt: skip
    assert not empty, f"Add rows of {empty} to tests/personas.py so the walk can visit them"


def test_every_api_operation_is_placed() -> None:
    from tests.access.test_api_walk import document

    ops, problems = operations(document())
    assert not problems, "API operations the access walk cannot call:\n" + "\n".join(problems)
    assert {op.kind for op in ops} >= {"list", "create", "read", "update", "delete"}
