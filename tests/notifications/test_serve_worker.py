"""`rumbo serve` in the embedded default starts one Huey worker, and that
worker's scheduler runs periodic jobs (the daily digest among them)."""

from __future__ import annotations

import subprocess
from typing import Any

from django.core.management import call_command
from gunicorn.app.wsgiapp import WSGIApplication
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


def test_serve_starts_a_worker_that_schedules_periodic_jobs(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    started: list[list[str]] = []

    class FakeWorker:
        def __init__(self, argv: list[str], *args: Any, **kwargs: Any) -> None:
            started.append(argv)

        def terminate(self) -> None:
            pass

    monkeypatch.setattr(subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(WSGIApplication, "run", lambda self: None)
    monkeypatch.setattr(WSGIApplication, "__init__", lambda self, usage: None)
    monkeypatch.setattr("sys.argv", ["rumbo"])  # serve replaces it for gunicorn
    call_command("serve")
    assert len(started) == 1
    argv = started[0]
    assert argv[1:4] == ["-m", "rumbo.cli", "run_huey"]
    # The worker's options, parsed as run_huey parses them: periodic stays on.
    options = vars(RunHuey().create_parser("rumbo", "run_huey").parse_args(argv[4:]))
    given = {k: v for k, v in options.items() if v is not None and k in ConsumerConfig._fields}
    assert ConsumerConfig(**given).periodic is True
