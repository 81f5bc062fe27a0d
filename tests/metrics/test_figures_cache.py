"""The figures cache within one process: right after the figures version
moves, threads asking for the same figure compute it once between them (the
others wait and read it), and a new version computes it again."""

from __future__ import annotations

import threading
import time

import pytest

from rumbo.metrics.cache import remember
from rumbo.tenancy.services import figures_changed

pytestmark = pytest.mark.django_db


def test_threads_asking_for_the_same_figure_compute_it_once(world) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    answers: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to ask meanwhile
        return 42

    def ask() -> None:
        answers.append(remember(world.alice, "board", ("q",), slow))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [42] * 4
    assert len(calls) == 1
    # A write moves the version: the figure is computed again, once.
    figures_changed(organization_id=world.alice.organization_id)
    world.alice.organization.refresh_from_db()
    assert remember(world.alice, "board", ("q",), slow) == 42
    assert len(calls) == 2
