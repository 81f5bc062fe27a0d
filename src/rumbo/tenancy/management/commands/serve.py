"""`rumbo serve`: serve Rumbo with gunicorn (threads), on 127.0.0.1:PORT by default."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

# Gunicorn's layout: about one process per core (each has its own GIL) and a
# few threads each to overlap the waits for the database. On two cores this
# answered faster than four processes of four threads, server and client time
# alike (docs/benchmarks.md, "Dashboards under load").
DEFAULT_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
DEFAULT_THREADS = int(os.environ.get("WEB_THREADS", "4"))


class Command(BaseCommand):
    help = "Serve Rumbo over HTTP with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
        parser.add_argument(
            "--no-jobs", dest="jobs", action="store_false",
            help="do not start the background-job worker beside the web server",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Rumbo is serving on http://{bind}/ (Ctrl-C stops it)")
        argv = [
            "gunicorn", "rumbo.wsgi:application", "--bind", bind,
            "--workers", str(options["workers"]), "--threads", str(options["threads"]),
            "--access-logfile", "-", "--timeout", "120",
        ]  # fmt: skip
        import atexit
        import subprocess
        import sys

        from django.conf import settings

        if not settings.REDIS_URL and options["jobs"]:
            # The embedded default keeps its job queue in SQLite: this process runs
            # the worker beside the web server (production runs separate workers).
            # Two threads, so that a long import does not hold back the metrics
            # refresh every write schedules (rumbo.metrics.tasks).
            worker = subprocess.Popen([sys.executable, "-m", "rumbo.cli", "run_huey", "-w", "2"])
            atexit.register(worker.terminate)
            self.stdout.write("Background jobs: a Huey worker with two threads (SQLite queue).")
        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
