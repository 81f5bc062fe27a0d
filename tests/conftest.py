"""Shared fixtures: the personas world, and settings every test needs."""

from __future__ import annotations

import pytest

from tests.personas import World, build_world


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()
