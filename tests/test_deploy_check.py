"""Production settings pass Django's deployment checklist without a warning,
and a machine that sets nothing runs with DEBUG off. Each case runs the real
settings module in a fresh process with its own environment."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "RUMBO_HTTPS": "1",
    "ALLOWED_HOSTS": "rumbo.example.com",
}
# Settings read from the environment; the tests start from none of them.
OURS = {"DEBUG", "SECRET_KEY", "RUMBO_HTTPS", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL", "RUMBO_DATA_DIR", "EMAIL_BACKEND", "REDIS_URL",
        # Set by the browser tests for Playwright's event loop; never in deployment.
        "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    clean.update(DJANGO_SETTINGS_MODULE="rumbo.settings", RUMBO_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def deploy_check(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run(["-m", "rumbo.cli", "check", "--deploy", "--fail-level", "WARNING"],
               data_dir, **env)  # fmt: skip


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "(security.W" not in output, output
    assert "System check identified no issues" in output


def test_the_check_does_flag_settings_without_https(tmp_path: Path) -> None:
    # The same command fails when hardening is off, so the test above means something.
    result = deploy_check(tmp_path, **{**PRODUCTION, "RUMBO_HTTPS": "0"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in output, output


def test_a_short_secret_key_is_flagged(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **{**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "len(s.SECRET_KEY))"
)


def test_debug_is_off_when_nothing_is_set(tmp_path: Path) -> None:
    result = run(["-c", PRINT_SETTINGS], tmp_path)
    assert result.returncode == 0, result.stderr
    debug, session_secure, csrf_secure, redirect, key_length = result.stdout.split()
    assert debug == "False"
    # The embedded default serves plain http on 127.0.0.1: no secure-only cookies.
    assert (session_secure, csrf_secure, redirect) == ("False", "False", "False")
    assert int(key_length) >= 50


def test_an_empty_debug_variable_means_off(tmp_path: Path) -> None:
    result = run(["-c", PRINT_SETTINGS], tmp_path, DEBUG="")
    assert result.stdout.split()[0] == "False"


def test_the_generated_secret_key_is_private_and_kept(tmp_path: Path) -> None:
    first = run(["-c", PRINT_SETTINGS], tmp_path)
    key_file = tmp_path / "secret_key"
    assert first.returncode == 0 and key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    run(["-c", PRINT_SETTINGS], tmp_path)
    assert key_file.read_text() == key


def test_production_secret_comes_from_the_environment(tmp_path: Path) -> None:
    result = run(["-c", PRINT_SETTINGS], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "80"]
    assert not (tmp_path / "secret_key").exists()
