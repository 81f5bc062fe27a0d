"""Deals import throughput and memory, with django-import-export side by side.

    .venv/bin/python bench/import_deals.py            # 100k and 1M rows, SQLite and PostgreSQL
    .venv/bin/python bench/import_deals.py --rows 100000 --db sqlite
    .venv/bin/python bench/import_deals.py --tracemalloc   # Python heap peak too (slower)
    .venv/bin/python bench/import_deals.py --repeat 3      # the median of three runs each
    .venv/bin/python bench/import_deals.py --rows 20000 --db sqlite --variants plain product
    .venv/bin/python bench/import_deals.py --rows 1000000 --db postgresql --modes empty other

Each measurement runs in its own process on a fresh database (SQLite in a
temporary folder; PostgreSQL as the database $BENCH_DATABASE, default
`rumbo_bench`, on $BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432),
so peak memory (ru_maxrss) belongs to that one import. The file is a validated deals export:
external id, name, owner and customer by name, a stage word, an amount with a
decimal comma, a currency, D/M/YYYY dates. Rows/s counts the whole pipeline:
read, validate, stage, apply in one transaction. The metrics refresh the import
queues (`metrics.services.refresh_now`, as `rumbo import` runs it before
returning) is timed after it, committed, and reported beside it and in a rate
of import and refresh together. A second import of the same file (every row
unchanged) is timed too.

Modes: `empty` imports into a database holding no deals at all (the first
load, which sets the deals table's indexes aside: bulkload.py); `other` first
imports the same file into another organisation of the same size, and
refreshes its figures, untimed, so the measured import takes the path every
server after its first customer takes.

The baseline, django-import-export, imports the first --baseline-rows rows
(at least 5,000) of the same file into a third organisation of the same size,
set up as its documentation recommends for bulk work (`DealResource` below:
bulk creation, no diff, one query for the existing deals, owner and customer
looked up in per-organisation caches, each instance's full_clean kept); Rumbo
then imports the same rows into the same organisation (the baseline's deals
removed first), so both rates are over the same rows in the same run."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPS, CUSTOMERS, PRODUCTS = 200, 20_000, 50
STAGES = ["Cerrado ganado", "Closed Won", "Perdida", "closedlost", "Negociación", "Proposal"]


def write_file(path: Path, rows: int, product: bool = False) -> None:
    """The deals file; with `product`, the same rows with a product column as a
    CRM's opportunities export has (one row per deal, the deal's own amount)."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["Opportunity ID", "Opportunity Name", "Opportunity Owner", "Account Name",
                      "Stage", "Amount", "Currency", "Created Date", "Close Date",
                      *(["Product"] if product else [])])  # fmt: skip
        for i in range(rows):
            stage = STAGES[i % len(STAGES)]
            created_day = 1 + i % 27
            closed = (
                "" if stage in ("Negociación", "Proposal") else f"{created_day + 1:02d}/03/2026"
            )
            amount = f"{rng.randrange(100, 9_999_999) / 100:,.2f}".replace(",", " ").replace(
                ".", ","
            )
            currency = "USD" if i % 10 == 0 else "EUR"
            customer = f"Customer {rng.randrange(CUSTOMERS)}"
            created = f"{created_day:02d}/03/2026"
            out.writerow([f"OPP-{i:07d}", f"Deal {i}", f"Rep {i % REPS}", customer, stage,
                          amount, currency, created, closed,
                          *([f"Product {i % PRODUCTS}"] if product else [])])  # fmt: skip


def database_url(db: str, folder: Path) -> str:
    if db == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    import psycopg

    name = os.environ.get("BENCH_DATABASE", "rumbo_bench")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def seed(slug: str = "bench") -> object:
    from decimal import Decimal

    from rumbo.sales.models import Customer, ExchangeRate, Product
    from rumbo.tenancy.models import Member
    from rumbo.tenancy.services import organization_create

    _org, admin = organization_create(slug=slug, name=slug.title(), currency="EUR",
                                      admin_email=f"admin@{slug}.test", language="es")  # fmt: skip
    org_id = admin.organization_id
    reps = Member.objects.bulk_create(
        Member(organization_id=org_id, name=f"Rep {i}", team=admin.team) for i in range(REPS)
    )
    Customer.objects.bulk_create(
        (Customer(organization_id=org_id, name=f"Customer {i}", owner=reps[i % REPS])
         for i in range(CUSTOMERS)), batch_size=5000,
    )  # fmt: skip
    ExchangeRate.objects.create(organization_id=org_id, currency="USD", date="2026-01-01",
                                rate=Decimal("0.92"))  # fmt: skip
    Product.objects.bulk_create(
        Product(organization_id=org_id, sku=f"P-{i}", name=f"Product {i}", list_price=10 + i)
        for i in range(PRODUCTS)
    )
    return admin


def run_rumbo(admin: object, path: Path, trace: bool) -> dict[str, float]:
    import tracemalloc

    from rumbo.imports.services import import_file
    from rumbo.metrics.services import refresh_now

    results: dict[str, float] = {}
    for label in ("first", "again"):
        if trace:
            tracemalloc.start()
        server = _server_cpu()
        cpu = time.process_time()
        started = time.perf_counter()
        result = import_file(actor=admin, kind="deals", path=path, file_name=path.name)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        # CPU seconds of this process and of its PostgreSQL backend: work done,
        # which a busy machine (other processes on the same cores) does not inflate.
        results[f"{label}_cpu_s"] = time.process_time() - cpu
        results[f"{label}_server_cpu_s"] = _server_cpu() - server
        if trace:
            results[f"{label}_heap_mb"] = tracemalloc.get_traced_memory()[1] / 1_048_576
            tracemalloc.stop()
        assert result.ok, [p.line() for p in result.problems[:5]]
        results[f"{label}_rows_per_s"] = result.rows / elapsed
        results[f"{label}_seconds"] = elapsed
        results[f"{label}_created"] = result.created
        results[f"{label}_unchanged"] = result.unchanged
        # The refresh the import queued, as `rumbo import` runs it before returning.
        started = time.perf_counter()
        refresh_now(organization_id=admin.organization_id)  # type: ignore[attr-defined]
        results[f"{label}_refresh_s"] = time.perf_counter() - started
    return results


def import_only(admin: object, path: Path) -> float:
    """Rumbo's rate on its own (no refresh: the baseline refreshes nothing)."""
    from rumbo.imports.services import import_file

    started = time.perf_counter()
    result = import_file(actor=admin, kind="deals", path=path, file_name=path.name)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert result.ok and result.created == result.rows, [p.line() for p in result.problems[:5]]
    return result.rows / elapsed


def delete_deals(organization_id: int) -> None:
    """The organisation's deals and what hangs on them, in three statements."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        deals = "SELECT id FROM sales_deal WHERE organization_id = %s"
        cursor.execute(f"DELETE FROM sales_dealline WHERE deal_id IN ({deals})", [organization_id])
        cursor.execute(f"DELETE FROM sales_deal_techniques WHERE deal_id IN ({deals})",
                       [organization_id])  # fmt: skip
        cursor.execute("DELETE FROM sales_deal WHERE organization_id = %s", [organization_id])


def _server_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (0 on
    SQLite, where the database works inside this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one(db: str, rows: int, baseline_rows: int, trace: bool, product: bool, mode: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rumbo-bench-"))
    os.environ["DATABASE_URL"] = database_url(db, folder)
    os.environ["RUMBO_DATA_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rumbo.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    path = folder / "deals.csv"
    write_file(path, rows, product)
    out: dict[str, object] = {"db": db, "rows": rows, "file_mb": path.stat().st_size / 1_048_576,
                              "product": product, "mode": mode}  # fmt: skip
    if mode == "other":
        # Another organisation of the same size, its figures built: the deals
        # table is not empty, as on any server after its first customer.
        from rumbo.imports.services import import_file
        from rumbo.metrics.services import refresh_now

        other = seed("other")
        started = time.perf_counter()
        result = import_file(actor=other, kind="deals", path=path, file_name=path.name)  # type: ignore[arg-type]
        assert result.ok and result.created == rows
        refresh_now(organization_id=other.organization_id)  # type: ignore[attr-defined]
        out["other_seconds"] = time.perf_counter() - started
    admin = seed()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.update(run_rumbo(admin, path, trace))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_average"] = os.getloadavg()[0]  # other work on the machine skews the figures
    out["rss_before_mb"] = rss_before
    if baseline_rows:
        small_path = folder / "first_rows.csv"
        write_file(small_path, baseline_rows, product)  # the same first rows
        third = seed("baseline")
        out["baseline_rows"] = baseline_rows
        from import_baseline import run_baseline  # bench/, beside this script

        out["baseline_rows_per_s"] = run_baseline(third, small_path, baseline_rows)
        delete_deals(third.organization_id)  # type: ignore[attr-defined]
        out["rumbo_same_rows_per_s"] = import_only(third, small_path)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=5_000,
        help="rows django-import-export imports (0: none; else at least 5,000)",
    )
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the median is reported")  # fmt: skip
    parser.add_argument("--variants", nargs="+", default=["plain"], choices=["plain", "product"],
                        help="product: the same file with a product column")  # fmt: skip
    parser.add_argument("--modes", nargs="+", default=["other", "empty"],
                        choices=["other", "empty"],
                        help="other: another organisation's deals in the table first; "
                        "empty: no deal in the database (the first-load shortcut)")  # fmt: skip
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--product", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if 0 < args.baseline_rows < 5_000:
        parser.error("--baseline-rows: at least 5,000 (a smaller sample flatters nobody fairly)")
    if args.one:
        one(args.db[0], args.rows[0], args.baseline_rows, args.tracemalloc, args.product,
            args.modes[0])  # fmt: skip
        return
    print("| database | deals table before | file | rows | import rows/s | refresh s "
          "| import + refresh rows/s | re-import rows/s | import rows per CPU-s | peak RSS MB "
          "| load |")  # fmt: skip
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    baselines = []
    combos = [(d, n, v, m) for d in args.db for n in args.rows for v in args.variants
              for m in args.modes]  # fmt: skip
    # Rounds, each running every combination once: the variants of one round run
    # minutes apart, not a whole series apart, so their ratio is less at the mercy
    # of what else the machine does meanwhile.
    results: dict[tuple[str, int, str, str], list[dict[str, Any]]] = {c: [] for c in combos}
    for _round in range(args.repeat):
        for db, rows, variant, mode in combos:
            # One baseline per database (the plain file's first rows), in the first run.
            first = (rows, variant, mode) == (args.rows[0], args.variants[0], args.modes[0])
            baseline = args.baseline_rows if first and _round == 0 else 0
            cmd = [sys.executable, __file__, "--one", "--db", db, "--rows", str(rows),
                   "--baseline-rows", str(baseline), "--modes", mode]  # fmt: skip
            if variant == "product":
                cmd.append("--product")
            if args.tracemalloc:
                cmd.append("--tracemalloc")
            line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            results[(db, rows, variant, mode)].append(json.loads(line.strip().splitlines()[-1]))
    for (db, rows, variant, mode), runs in results.items():
        # The median run of each figure: on a machine shared with other work, the
        # best of several flatters a variant that happened to run in a quiet moment.
        r = dict(sorted(runs, key=lambda x: x["first_rows_per_s"])[len(runs) // 2])
        for key in ("again_rows_per_s", "first_cpu_s", "first_server_cpu_s", "again_cpu_s",
                    "again_server_cpu_s"):  # fmt: skip
            r[key] = statistics.median(x[key] for x in runs)
        for x in runs:
            if "baseline_rows_per_s" in x:
                r.update({k: x[k] for k in ("baseline_rows", "baseline_rows_per_s",
                                             "rumbo_same_rows_per_s")})  # fmt: skip
        r["load_average"] = sum(x["load_average"] for x in runs) / len(runs)
        rate = r["first_rows_per_s"]
        with_refresh = rows / (r["first_seconds"] + r["first_refresh_s"])
        heap = f" (heap {r['first_heap_mb']:.0f})" if "first_heap_mb" in r else ""
        per_cpu = rows / (r["first_cpu_s"] + r["first_server_cpu_s"])
        before = f"another organisation's {rows:,}" if mode == "other" else "empty"
        print(f"| {db} | {before} | {variant} | {rows:,} | {rate:,.0f} "
              f"| {r['first_refresh_s']:.2f} | {with_refresh:,.0f} "
              f"| {r['again_rows_per_s']:,.0f} | {per_cpu:,.0f} "
              f"| {r['peak_rss_mb']:.0f}{heap} | {r['load_average']:.1f} |",
              flush=True)  # fmt: skip
        if "baseline_rows_per_s" in r:
            baselines.append((db, mode, r))
    if baselines:
        print()
        print("| database | rows | django-import-export rows/s | Rumbo, same rows, rows/s "
              "| ratio |")  # fmt: skip
        print("|---|---:|---:|---:|---:|")
        for db, _mode, r in baselines:
            base, same = r["baseline_rows_per_s"], r["rumbo_same_rows_per_s"]
            print(f"| {db} | {r['baseline_rows']:,} | {base:,.0f} | {same:,.0f} "
                  f"| {same / base:,.0f}× |", flush=True)  # fmt: skip

    _ratios(results, args.repeat)


def _ratios(results: dict[tuple[str, int, str, str], list[dict[str, Any]]], rounds: int) -> None:
    """Product ÷ plain per round (the same round's runs), and their median."""
    pairs = [(k, results[(k[0], k[1], "product", k[3])]) for k in results
             if k[2] == "plain" and (k[0], k[1], "product", k[3]) in results]  # fmt: skip
    if not pairs:
        return
    print()
    print("| database | deals table before | rows | product ÷ plain, each round | median "
          "| per CPU-s, median |")  # fmt: skip
    print("|---|---|---:|---|---:|---:|")
    for (db, rows, _v, mode), products in pairs:
        plains = results[(db, rows, "plain", mode)]
        both = list(zip(products, plains, strict=True))
        wall = [p["first_rows_per_s"] / q["first_rows_per_s"] for p, q in both]
        cpu = [(q["first_cpu_s"] + q["first_server_cpu_s"])
               / (p["first_cpu_s"] + p["first_server_cpu_s"])
               for p, q in both]  # fmt: skip
        before = "another organisation's" if mode == "other" else "empty"
        each = ", ".join(f"{x:.0%}" for x in wall)
        print(f"| {db} | {before} | {rows:,} | {each} | {statistics.median(wall):.0%} "
              f"| {statistics.median(cpu):.0%} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
