"""DuckDB computing the rollup components from the same rows: the practical
limit of one GROUP BY on this machine, next to PostgreSQL's hand-written
GROUP BY and `rumbo metrics rebuild` (bench/metrics_rebuild.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rumbo_large \\
        .venv/bin/python bench/metrics_duckdb.py --org large --repeat 3

DuckDB cannot read PostgreSQL here (its postgres extension is downloaded on
first use, and this machine is offline), so the organisation's source rows —
only the columns the components read — are copied out once with
`COPY … TO STDOUT` into Parquet files under `--data` (not timed; kept for the
next run). Each timed DuckDB run then computes the same statement as the
PostgreSQL baseline, from the Parquet files into an in-memory table, with
`--threads` threads (all the machine's cores by default; PostgreSQL's
GROUP BY runs on one core with at most two parallel workers). The script
checks that both produce the same rep-day rows and totals."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Columns each component reads, per table (the ids DISTINCT ON orders by, too).
EXPORTS = {
    "deals": "SELECT id, owner_id, customer_id, outcome, created_on, closed_on, amount_base "
    "FROM sales_deal WHERE organization_id = {org} AND outcome IN ('won', 'lost') "
    "AND closed_on IS NOT NULL",
    "activities": "SELECT owner_id, date FROM sales_activity WHERE organization_id = {org}",
    "surveys": "SELECT rep_id, responded_on, kind, score FROM sales_surveyresponse "
    "WHERE organization_id = {org}",
    "complaints": "SELECT rep_id, opened_at, resolved_at, status, severity FROM sales_complaint "
    "WHERE organization_id = {org}",
}

# Types DuckDB would otherwise guess (money stays decimal, timestamps keep their zone).
TYPES = {
    "deals": {"amount_base": "DECIMAL(18,2)", "created_on": "DATE", "closed_on": "DATE"},
    "activities": {"date": "DATE"},
    "surveys": {"responded_on": "DATE"},
    "complaints": {"opened_at": "TIMESTAMPTZ", "resolved_at": "TIMESTAMPTZ"},
}

# The PostgreSQL baseline of bench/metrics_rebuild.py, in DuckDB's dialect
# (timezone() for the local date; the same FILTER clauses and DISTINCT ON).
QUERY = """
CREATE OR REPLACE TEMP TABLE duck_rollup AS
WITH firsts AS (
    SELECT DISTINCT ON (customer_id) customer_id, owner_id, closed_on, amount_base
    FROM deals WHERE outcome = 'won' AND customer_id IS NOT NULL
    ORDER BY customer_id, closed_on, id
)
SELECT member_id, day,
       SUM(won_amount) AS won_amount, SUM(deals_won) AS deals_won,
       SUM(deals_lost) AS deals_lost, SUM(cycle_days_sum) AS cycle_days_sum,
       SUM(first_purchases) AS first_purchases, SUM(first_amount) AS first_amount,
       SUM(activities) AS activities, SUM(csat_responses) AS csat_responses,
       SUM(csat_positive) AS csat_positive, SUM(csat_score_sum) AS csat_score_sum,
       SUM(nps_responses) AS nps_responses, SUM(nps_promoters) AS nps_promoters,
       SUM(nps_detractors) AS nps_detractors, SUM(complaints_opened) AS complaints_opened,
       SUM(complaints_resolved) AS complaints_resolved,
       SUM(resolution_hours_sum) AS resolution_hours_sum,
       SUM(complaints_in_sla) AS complaints_in_sla
FROM (
    SELECT owner_id AS member_id, closed_on AS day,
           SUM(amount_base) FILTER (WHERE outcome = 'won') AS won_amount,
           COUNT(*) FILTER (WHERE outcome = 'won') AS deals_won,
           COUNT(*) FILTER (WHERE outcome = 'lost') AS deals_lost,
           SUM(closed_on - created_on) FILTER (WHERE outcome = 'won') AS cycle_days_sum,
           0 AS first_purchases, 0 AS first_amount, 0 AS activities,
           0 AS csat_responses, 0 AS csat_positive, 0 AS csat_score_sum, 0 AS nps_responses,
           0 AS nps_promoters, 0 AS nps_detractors, 0 AS complaints_opened,
           0 AS complaints_resolved, 0 AS resolution_hours_sum, 0 AS complaints_in_sla
    FROM deals GROUP BY 1, 2
  UNION ALL
    SELECT owner_id, closed_on, 0, 0, 0, 0, COUNT(*), SUM(amount_base), 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM firsts GROUP BY 1, 2
  UNION ALL
    SELECT owner_id, date, 0, 0, 0, 0, 0, 0, COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM activities GROUP BY 1, 2
  UNION ALL
    SELECT rep_id, responded_on, 0, 0, 0, 0, 0, 0, 0,
           COUNT(*) FILTER (WHERE kind = 'csat'),
           COUNT(*) FILTER (WHERE kind = 'csat' AND score >= 4),
           SUM(score) FILTER (WHERE kind = 'csat'),
           COUNT(*) FILTER (WHERE kind = 'nps'),
           COUNT(*) FILTER (WHERE kind = 'nps' AND score >= 9),
           COUNT(*) FILTER (WHERE kind = 'nps' AND score <= 6),
           0, 0, 0, 0
    FROM surveys GROUP BY 1, 2
  UNION ALL
    SELECT rep_id, CAST(timezone($tz, opened_at) AS DATE), 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0,
           COUNT(*),
           COUNT(*) FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL),
           SUM(epoch(resolved_at - opened_at) / 3600.0)
               FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL),
           COUNT(*) FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL
               AND epoch(resolved_at - opened_at) / 3600.0 <= CASE severity
                   WHEN 'critical' THEN 8 WHEN 'high' THEN 24 WHEN 'medium' THEN 72
                   WHEN 'low' THEN 120 ELSE 72 END)
    FROM complaints GROUP BY 1, 2
) AS u
GROUP BY member_id, day
"""

# Rows and a few totals, to check that DuckDB and PostgreSQL computed the same.
CHECK = ("SELECT count(*), sum(won_amount), sum(deals_won + deals_lost), sum(first_purchases), "
         "sum(activities), sum(csat_score_sum), sum(nps_promoters), sum(complaints_in_sla) "
         "FROM {table}")  # fmt: skip


def export(org: Any, folder: Path) -> None:
    """Copy the organisation's source rows to Parquet, once (skipped when present)."""
    import duckdb
    from django.db import connection

    folder.mkdir(parents=True, exist_ok=True)
    duck = duckdb.connect()
    for name, select in EXPORTS.items():
        parquet = folder / f"{name}.parquet"
        if parquet.exists():
            continue
        started, csv = time.perf_counter(), folder / f"{name}.csv"
        with connection.cursor() as cursor, csv.open("wb") as out:
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            copy_sql = f"COPY ({select.format(org=org.pk)}) TO STDOUT (FORMAT csv, HEADER)"
            with raw.copy(copy_sql) as copy:
                for block in copy:
                    out.write(block)
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{csv}', header = true, types = {TYPES[name]})) "
            f"TO '{parquet}' (FORMAT parquet)"
        )
        csv.unlink()
        print(f"  exported {name} in {time.perf_counter() - started:.1f} s")


def duck_run(
    folder: Path, tz: str, threads: int, store: bool = True
) -> tuple[float, tuple[Any, ...]]:
    """One timed DuckDB run: views over the Parquet files, the query into an
    in-memory table (`store`), or its rows only counted (storing 6.65 million
    rows of 128-bit sums costs DuckDB several times the computing)."""
    import duckdb

    duck = duckdb.connect()
    duck.execute(f"SET threads = {threads}")
    for name in EXPORTS:
        duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    started = time.perf_counter()
    if not store:
        select = QUERY.split(" AS\n", 1)[1]
        duck.execute(f"SELECT count(*) FROM ({select})", {"tz": tz}).fetchall()
        return time.perf_counter() - started, ()
    duck.execute(QUERY, {"tz": tz})
    seconds = time.perf_counter() - started
    check = duck.execute(CHECK.format(table="duck_rollup")).fetchone()
    duck.close()
    return seconds, tuple(check or ())


def pg_run(org: Any) -> tuple[float, tuple[Any, ...]]:
    from django.db import connection, transaction

    from metrics_rebuild import BASELINE  # the PostgreSQL baseline, same directory

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(BASELINE, {"org": org.pk, "tz": org.time_zone})
        seconds = time.perf_counter() - started
        cursor.execute(CHECK.format(table="bench_baseline"))
        check = tuple(cursor.fetchone())
        cursor.execute("DROP TABLE bench_baseline")
    return seconds, check


def rebuild_run(org: Any) -> tuple[float, tuple[Any, ...]]:
    from rumbo.metrics.services import metrics_rebuild

    started = time.perf_counter()
    metrics_rebuild(organization=org)
    return time.perf_counter() - started, ()


def same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Equal counts; sums equal to the cent (hours: to a millionth, relative)."""
    return all(abs(float(x or 0) - float(y or 0)) <= max(0.01, abs(float(x or 0)) * 1e-9)
               for x, y in zip(a, b, strict=True))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", default="large")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path, default=Path("/var/tmp/rumbo-duckdb"))
    parser.add_argument("--rebuild", action="store_true", help="also time `metrics rebuild`")
    parser.add_argument("--skip-postgresql", action="store_true", help="time DuckDB only")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    import duckdb
    from django.db import connection

    from rumbo.tenancy.models import Organization

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    org = Organization.objects.get(slug=args.org)
    folder = args.data / f"{connection.settings_dict['NAME']}-{org.slug}"
    print(f"Organisation {org.slug}; DuckDB {duckdb.__version__}, {args.threads} threads; "
          f"Parquet files in {folder}; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    export(org, folder)
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    print(f"  Parquet: {size / 1e6:,.0f} MB")
    runs: dict[str, list[float]] = {
        "duckdb": [],
        "duckdb 1 thread": [],
        "duckdb, rows not stored": [],
    }
    if not args.skip_postgresql:
        runs["postgresql"] = []
    if args.rebuild:
        runs["rebuild"] = []
    duck_run(folder, org.time_zone, args.threads)  # warm-up: file cache
    checks: dict[str, tuple[Any, ...]] = {}
    for run in range(args.repeat):
        for name in runs:
            if name == "postgresql":
                seconds, check = pg_run(org)
            elif name == "rebuild":
                seconds, check = rebuild_run(org)
            else:
                threads = 1 if name.endswith("1 thread") else args.threads
                seconds, check = duck_run(folder, org.time_zone, threads, "stored" not in name)
            runs[name].append(seconds)
            if check:
                checks[name] = check
            print(f"  run {run + 1} {name}: {seconds:.2f} s; load {os.getloadavg()[0]:.2f}")
    print(f"  rows and totals: {checks['duckdb']}")
    if "postgresql" not in runs:
        return
    if not same(checks["duckdb"], checks["postgresql"]):
        print(f"  MISMATCH with PostgreSQL: {checks['postgresql']}")
    best_pg = min(runs["postgresql"])
    for name, times in runs.items():
        print(f"{name:<28} best {min(times):7.2f} s   median {statistics.median(times):7.2f} s"
              f"   ratio to PostgreSQL's GROUP BY {min(times) / best_pg:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
