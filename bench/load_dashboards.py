"""Dashboards under load: 16 concurrent clients against gunicorn, server time per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rumbo_large \\
        /work/main/.venv/bin/python bench/load_dashboards.py --org large
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 \\
        /work/main/.venv/bin/python bench/load_dashboards.py --org demo

Starts the app as `rumbo serve` does — gunicorn, `rumbo.wsgi:application`,
threaded workers (`--workers`, `--threads`), DEBUG off — on 127.0.0.1, with
the settings of bench/settings_timing.py: Rumbo's own plus one outermost
middleware that answers a `Server-Timing` header (Django's wall time, the time
and count of its queries, and the thread's CPU time). Then `--clients` threads,
each with its own sessions (one per role, made directly in the session store
for the organisation's demo logins, so no password hashing is measured), loop
over the pages for a warm-up and then for `--seconds`, and the script prints,
per page, the requests, p50/p95/p99 server time and client latency, the median
query count and time, and the load average at the start and end, as Markdown.
`--bump-every N` moves the organisation's figures version every N seconds
meanwhile, as the refresh after a write does, so that cached figures are
computed again (ADR 0007).

Pages: the rep's home `/` (as the demo rep), the team dashboard
`/dashboard/team/` (as the manager of a team with its reps) and the
organisation's leaderboard `/leaderboard/?period=quarter` (people ranked by
score for the current quarter, as the admin)."""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import django

from rumbo.tenancy.management.commands.serve import DEFAULT_THREADS, DEFAULT_WORKERS

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-load-dashboards-not-a-real-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

# (label, path, role, target p95 in ms)
PAGES = [
    ("rep home", "/", "rep", 100.0),
    ("team dashboard", "/dashboard/team/", "manager", 100.0),
    ("organisation leaderboard, quarter", "/leaderboard/?period=quarter", "admin", 300.0),
]
LOGINS = {
    "large": {"rep": "rep@large.example", "manager": "team.manager@large.example",
              "admin": "director@large.example"},
    "demo": {"rep": "rep@demo.example", "manager": "manager@demo.example",
             "admin": "director@demo.example"},
}  # fmt: skip


@dataclass
class Sample:
    server_ms: float
    client_ms: float
    db_ms: float
    queries: int
    cpu_ms: float


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def sessions(org: str, count: int) -> list[dict[str, str]]:
    """`count` sets of session keys, one per role, logged in as the demo users."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from rumbo.tenancy.auth import SESSION_BACKEND
    from rumbo.tenancy.middleware import SESSION_ORG_KEY
    from rumbo.tenancy.models import Member

    out: list[dict[str, str]] = []
    members = {
        role: Member.objects.select_related("user").get(organization__slug=org, user__email=email)
        for role, email in LOGINS[org].items()
    }
    for _ in range(count):
        keys: dict[str, str] = {}
        for role, member in members.items():
            user = member.user
            assert user is not None  # the demo logins are members with a user
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = SESSION_BACKEND  # as the login form leaves it
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[SESSION_ORG_KEY] = member.organization_id
            store.create()
            assert store.session_key is not None
            keys[role] = store.session_key
        out.append(keys)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_timing", "DEBUG": "0",
           "SECRET_KEY": SECRET, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}  # fmt: skip
    argv = [sys.executable, "-m", "gunicorn", "rumbo.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(argv, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def parse_timing(header: str) -> tuple[float, float, int, float]:
    parts: dict[str, dict[str, str]] = {}
    for metric in header.split(","):
        name, *params = (p.strip() for p in metric.split(";"))
        parts[name] = dict(p.split("=", 1) for p in params)
    db = parts["db"]
    return (float(parts["app"]["dur"]), float(db["dur"]), int(db["desc"].strip('"')),
            float(parts["cpu"]["dur"]))  # fmt: skip


def client(
    port: int,
    keys: dict[str, str],
    pages: list[tuple[str, str, str, float]],
    offset: int,
    stop_warmup: float,
    stop: float,
    tallies: dict[str, Tally],
) -> None:
    """One user's browser: a keep-alive connection, requests back to back."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    i = offset
    while (now := time.monotonic()) < stop:
        label, path, role, _ = pages[i % len(pages)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={keys[role]}"})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with tallies[label].lock:
                tallies[label].errors += 1
            continue
        client_ms = (time.perf_counter() - start) * 1000
        if response.status != 200:
            with tallies[label].lock:
                tallies[label].errors += 1
            continue
        if now < stop_warmup:
            continue
        app, db, queries, cpu = parse_timing(response.getheader("Server-Timing", ""))
        with tallies[label].lock:
            tallies[label].samples.append(Sample(app, client_ms, db, queries, cpu))
    conn.close()


def bumper(org: str, every: float, stop: float) -> None:
    """Writes elsewhere in the organisation: each moves the figures version, so
    every cached figure is computed again by the next request that needs it."""
    from django.db import connection

    from rumbo.tenancy.models import Organization
    from rumbo.tenancy.services import figures_changed

    organization_id = Organization.objects.get(slug=org).pk
    while time.monotonic() + every < stop:
        time.sleep(every)
        figures_changed(organization_id=organization_id)
    connection.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def check_pages(port: int, keys: dict[str, str],
                pages: list[tuple[str, str, str, float]]) -> None:  # fmt: skip
    """Fail early when a session is not logged in or a page does not answer 200."""
    for label, path, role, _ in pages:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", path, headers={"Cookie": f"sessionid={keys[role]}"})
        response = conn.getresponse()
        response.read()
        if response.status != 200 or not response.getheader("Server-Timing"):
            raise SystemExit(f"{label} {path} as {role}: HTTP {response.status}")
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--org", default="large", choices=sorted(LOGINS))
    # `rumbo serve`'s own layout (WEB_WORKERS, WEB_THREADS) unless told otherwise.
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="per worker")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--pages", default="", help="comma-separated labels' first words")
    parser.add_argument("--bump-every", type=float, default=0,
                        help="move the organisation's figures version every SECONDS, as a "
                             "refresh after a write does (0: never)")  # fmt: skip
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    os.environ["SECRET_KEY"] = SECRET  # the sessions' auth hashes must match the server's
    django.setup()
    from django.conf import settings

    pages = [p for p in PAGES
             if not args.pages or p[0].split()[0] in args.pages.split(",")]  # fmt: skip
    keys = sessions(args.org, args.clients)
    port = free_port()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    conn_age = settings.DATABASES["default"].get("CONN_MAX_AGE")
    server = start_server(port, args.workers, args.threads)
    try:
        check_pages(port, keys[0], pages)
        tallies = {p[0]: Tally() for p in pages}
        load_start = os.getloadavg()
        began = time.monotonic()
        warm, stop = began + args.warmup, began + args.warmup + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, keys[i], pages, i, warm, stop, tallies))
            for i in range(args.clients)
        ]
        if args.bump_every:
            threads.append(threading.Thread(target=bumper, args=(args.org, args.bump_every, stop)))
        for t in threads:
            t.start()
        time.sleep(max(0.0, warm - time.monotonic()))
        load_warm = os.getloadavg()
        for t in threads:
            t.join()
        load_end = os.getloadavg()
    finally:
        server.terminate()
        server.wait(30)
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=[k for ks in keys for k in ks.values()]).delete()

    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M')}  org={args.org}  database={engine} "
        f"({settings.DATABASES['default']['NAME']}, CONN_MAX_AGE={conn_age})  "
        f"gunicorn {args.workers} workers x {args.threads} threads  "
        f"{args.clients} clients  {args.warmup:g} s warm-up + {args.seconds:g} s"
        + (f"  figures version moved every {args.bump_every:g} s" if args.bump_every else "")
    )
    print(
        "load average (1/5/15 min): start {:.2f} {:.2f} {:.2f}; after warm-up "
        "{:.2f} {:.2f} {:.2f}; end {:.2f} {:.2f} {:.2f}".format(*load_start, *load_warm, *load_end)
    )
    print(
        "\n| page | requests | req/s | server p50 | p95 | p99 | client p50 | p95 | p99 "
        "| queries | db ms p50 | cpu ms p50 | errors | p95 target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, _path, _role, target in pages:
        tally = tallies[label]
        server_ms = [s.server_ms for s in tally.samples]
        client_ms = [s.client_ms for s in tally.samples]
        p95 = pct(server_ms, 95)
        verdict = f"{target:g} ms: {'met' if p95 <= target else 'NOT met'}"
        queries = statistics.median([s.queries for s in tally.samples]) if tally.samples else 0
        db = statistics.median([s.db_ms for s in tally.samples]) if tally.samples else 0
        cpu = statistics.median([s.cpu_ms for s in tally.samples]) if tally.samples else 0
        print(
            f"| {label} | {len(server_ms)} | {len(server_ms) / args.seconds:.1f} "
            f"| {pct(server_ms, 50):.0f} | {p95:.0f} | {pct(server_ms, 99):.0f} "
            f"| {pct(client_ms, 50):.0f} | {pct(client_ms, 95):.0f} "
            f"| {pct(client_ms, 99):.0f} | {queries:g} | {db:.0f} | {cpu:.0f} "
            f"| {tally.errors} | {verdict} |"
        )


if __name__ == "__main__":
    main()
