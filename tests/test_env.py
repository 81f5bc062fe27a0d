"""Settings read from the environment: a value that cannot be read stops the
start with the variable's name, instead of quietly becoming the default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from rumbo.env import env_bool, env_int


@pytest.mark.parametrize("word", ["1", "true", "TRUE", " yes ", "On"])
def test_yes_words_are_true(monkeypatch, word: str) -> None:
    monkeypatch.setenv("RUMBO_TEST_FLAG", word)
    assert env_bool("RUMBO_TEST_FLAG", False) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "OFF"])
def test_no_words_are_false(monkeypatch, word: str) -> None:
    monkeypatch.setenv("RUMBO_TEST_FLAG", word)
    assert env_bool("RUMBO_TEST_FLAG", True) is False


def test_unset_or_empty_is_the_default(monkeypatch) -> None:
    monkeypatch.delenv("RUMBO_TEST_FLAG", raising=False)
    assert env_bool("RUMBO_TEST_FLAG", True) is True
    monkeypatch.setenv("RUMBO_TEST_FLAG", "")
    assert env_bool("RUMBO_TEST_FLAG", True) is True


@pytest.mark.parametrize("word", ["ture", "y", "enabled", "2"])
def test_a_typo_is_refused_with_the_name_and_the_accepted_words(monkeypatch, word: str) -> None:
    monkeypatch.setenv("RUMBO_HTTPS", word)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("RUMBO_HTTPS", False)
    assert "RUMBO_HTTPS" in str(refused.value)
    assert "true" in str(refused.value) and "false" in str(refused.value)


def test_a_number_that_is_not_one_names_its_variable(monkeypatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "25x")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", " 587 ")
    assert env_int("EMAIL_PORT", 25) == 587


def test_the_app_does_not_start_with_https_misspelt() -> None:
    """What an operator sees: `rumbo check` stops and names RUMBO_HTTPS, where
    it used to start with HSTS and secure cookies off."""
    env = {**os.environ, "RUMBO_HTTPS": "ture"}
    run = subprocess.run([sys.executable, "-m", "rumbo.cli", "check"], env=env,
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode != 0
    assert "RUMBO_HTTPS='ture' is not a yes/no value" in run.stderr
