"""A live server for concurrency tests: real HTTP requests on real threads,
each request on its own database connection, as in production.

Django's (and pytest-django's) live server shares the test's one connection
with every request thread when the test database is SQLite in memory, so two
requests would run inside one transaction and never contend. Here, on SQLite,
the test database is copied to a file (WAL, immediate transactions, as
configured in settings) and every request thread opens its own connection to
it; on PostgreSQL each request thread has its own connection to the test
database. Use with `transactional_db`, so what the test made is committed
before the copy (SQLite) or visible to the server's connections (PostgreSQL)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread, ThreadedWSGIServer
from django.utils.module_loading import import_string


class _OwnConnectionServer(ThreadedWSGIServer):
    """Each request thread connects to `database` (a SQLite file) on its own."""

    database: str = ""

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        if self.database:
            settings = {**connections.settings["default"], "NAME": self.database}
            backend = import_string(f"{settings['ENGINE']}.base")
            connections["default"] = backend.DatabaseWrapper(settings, "default")
        super().process_request_thread(request, client_address)


class _Thread(LiveServerThread):
    server_class = _OwnConnectionServer


@contextmanager
def live_server(tmp_path: Path) -> Iterator[str]:
    """Serve the app on a free port; yields its base URL."""
    database = ""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        import sqlite3

        database = str(tmp_path / "live.sqlite3")
        connection.ensure_connection()
        target = sqlite3.connect(database)
        connection.connection.backup(target)  # type: ignore[union-attr]
        target.close()
    server = type("Server", (_OwnConnectionServer,), {"database": database})
    thread = type("Thread", (_Thread,), {"server_class": server})(
        "127.0.0.1", StaticFilesHandler
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


def request(base: str, token: str, method: str, path: str, data: Any = None,
            headers: dict[str, str] | None = None) -> tuple[int, Any]:  # fmt: skip
    """One JSON call to /api/v1`path` with a bearer token: (status, body)."""
    body = None if data is None else json.dumps(data).encode()
    req = urllib.request.Request(f"{base}/api/v1{path}", data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
        **(headers or {})})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")[:300]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls on their own threads, released together by a barrier;
    their results in the order given."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported as the result
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
