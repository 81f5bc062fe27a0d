"""Request bodies are refused past their URL's limit before anything reads
them (issue 14: a 300 MB multipart POST /login/ with a wrong CSRF token was
written to a temporary file before the 403)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from rumbo.imports.models import ImportJob
from rumbo.web.limits import BodyLimitUploadHandler

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def small_limits(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.REQUEST_MAX_BYTES = 1 * MB
    settings.IMPORT_MAX_BYTES = 3 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return settings


def _file(size: int, name: str = "big.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"SKU,Name\n" + b"x" * size, content_type="text/csv")


def test_a_large_login_post_is_refused_before_the_csrf_check(small_limits) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"csrfmiddlewaretoken": "wrong", "username": "a@b.c",
                                       "password": "x", "file": _file(2 * MB)})  # fmt: skip
    assert response.status_code == 413  # was 403, after writing the file to disk
    assert "larger than 1 MB" in response.content.decode()
    assert response["Connection"] == "close"


def test_the_api_answers_413_in_json(world, small_limits) -> None:  # type: ignore[no-untyped-def]
    from tests.tenancy.api_client import bearer

    response = bearer(world.alice).post("/api/v1/products", {"name": "x" * (2 * MB)},
                                        content_type="application/json")  # fmt: skip
    assert response.status_code == 413
    assert "larger than 1 MB" in response.json()["detail"]


def test_only_the_import_upload_takes_import_sized_files(world, small_limits) -> None:  # type: ignore[no-untyped-def]
    alice = world.client("alice")
    # 2 MB: above the general limit, within the import limit.
    response = alice.post("/imports/new/", {"kind": "products", "preset": "generic",
                                            "file": _file(2 * MB, "products.csv")})  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    assert ImportJob.objects.count() == 1
    # Above the import limit: refused before the view stores anything.
    response = alice.post("/imports/new/", {"kind": "products", "preset": "generic",
                                            "file": _file(4 * MB, "products.csv")})  # fmt: skip
    assert response.status_code == 413
    assert "larger than 4 MB" in response.content.decode()  # 3 MB and the form's framing
    assert ImportJob.objects.count() == 1
    # The same 2 MB file anywhere else is refused.
    assert alice.post("/customers/new/", {"name": "x", "file": _file(2 * MB)}).status_code == 413


def test_the_upload_handler_stops_a_body_longer_than_announced(small_limits) -> None:  # type: ignore[no-untyped-def]
    """A body whose length was not announced (or was announced short) is
    counted as it streams: the upload stops at the limit, no file is kept, and
    the middleware answers 413 for the request."""
    request = RequestFactory().post("/login/", {"file": _file(2 * MB), "username": "a"})
    request.body_limit = 1 * MB  # type: ignore[attr-defined]
    assert isinstance(request.upload_handlers[0], BodyLimitUploadHandler)
    assert "file" not in request.FILES
    assert request.body_refused  # type: ignore[attr-defined]

    request = RequestFactory().post("/login/", {"file": _file(MB // 2), "username": "a"})
    request.body_limit = 1 * MB  # type: ignore[attr-defined]
    assert request.FILES["file"].size == MB // 2 + 9  # type: ignore[union-attr]
    assert not getattr(request, "body_refused", False)


@pytest.fixture
def short_statement_timeout(settings):  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    settings.STATEMENT_TIMEOUT_MS = 200
    settings.ROOT_URLCONF = "tests.web.slow_urls"
    yield
    connection.close()  # the next tests get a connection without this timeout


@pytest.mark.django_db(transaction=True)  # a cancelled statement aborts the test's transaction
def test_a_query_past_the_statement_timeout_answers_503(short_statement_timeout) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    client = Client(raise_request_exception=False)
    response = client.get("/slow/")
    assert response.status_code == 503  # was a 500 (or a request that ran as long as it liked)
    assert "took too long" in response.content.decode()
    assert response["Retry-After"] == "30"
    api = client.get("/api/v1/slow")
    assert api.status_code == 503
    assert "took too long" in api.json()["detail"]
    with connection.cursor() as cursor:  # the request's own connection had the timeout
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "200ms"


def test_commands_run_without_the_statement_timeout() -> None:
    """A command (or the job worker) opens its own connection and never passes
    through the web middleware: PostgreSQL's default (no timeout) holds."""
    import os
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rumbo.settings",
           "DATABASE_URL": os.environ.get("DATABASE_URL", "")}  # fmt: skip
    code = ("import django; django.setup(); from django.db import connection; "
            "c = connection.cursor(); c.execute('SHOW statement_timeout'); "
            "print(c.fetchone()[0])")  # fmt: skip
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           check=True, timeout=60).stdout.strip()  # fmt: skip
    assert shown == "0", shown
