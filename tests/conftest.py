"""Shared fixtures: the personas world, and settings every test needs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.mail import smtp  # noqa: F401 - the real SMTP server fixture, for every test
from tests.personas import World, build_world


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tests call the API far faster than anyone: a rate they never reach
    # (tests/web/test_throttle.py sets a low one).
    settings.API_READ_RATE = settings.API_WRITE_RATE = "100000/min"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with nothing cached: its organisations reuse the ids
    (and figures versions) of earlier tests' rolled-back ones."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded import files go to the test's own folder, not the data directory."""
    settings.IMPORT_ROOT = tmp_path / "imports"


@pytest.fixture(autouse=True)
def _jobs_run_at_once() -> Iterator[None]:
    """Huey runs every job when it is scheduled, in the test's own transaction
    (as settings HUEY "immediate"): the metrics refresh a write schedules after
    commit has run when `django_capture_on_commit_callbacks(execute=True)` ends.
    No test ever writes to the real job queue."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
NO_CHROMIUM = (
    f"Browser tests skipped: Chromium not found at {CHROMIUM} (`apt-get install "
    "chromium` as root, which `make test` does when it can; or CHROMIUM=/path/to/it)."
)


def pytest_collection_modifyitems(config, items) -> None:  # type: ignore[no-untyped-def]
    """Without Chromium the browser tests are skipped (one line says why), not failed."""
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        terminalreporter.write_line(NO_CHROMIUM, yellow=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; `apt-get install chromium` (done by .ci/run)."
        )
    # Playwright's sync API refuses to run inside a running asyncio loop; Django's
    # async-unsafe check must be relaxed for the live server thread to share the DB.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
