"""Helpers for import tests: write a file, run it through the pipeline as Alice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rumbo.imports.services import ImportResult, import_file
from tests.personas import World


class Importer:
    def __init__(self, world: World, tmp_path: Path) -> None:
        self.world = world
        self.tmp_path = tmp_path

    def file(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    def run(self, kind: str, name: str, text: str | None = None, *, encoding: str = "utf-8",
            actor: str = "alice", **options: Any) -> ImportResult:  # fmt: skip
        path = self.tmp_path / name if text is None else self.file(name, text, encoding)
        return import_file(actor=self.world.members[actor], kind=kind, path=path,
                           file_name=name, **options)  # fmt: skip


@pytest.fixture
def importer(world: World, tmp_path: Path) -> Importer:
    return Importer(world, tmp_path)


def lines(result: ImportResult) -> list[str]:
    return [p.line() for p in result.problems]


@pytest.fixture
def immediate_jobs():  # type: ignore[no-untyped-def]
    """Background jobs run at once, in the test's own transaction."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous
