"""Settings for the access walk."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # An admin's allowed upload writes its file: keep it out of the data directory.
    settings.IMPORT_ROOT = tmp_path / "imports"
