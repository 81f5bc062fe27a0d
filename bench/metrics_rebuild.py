"""Metrics rollups on PostgreSQL: the full rebuild next to one hand-written
GROUP BY producing the same components from the same tables, and the
incremental refresh after 10,000 new deals.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rumbo_large \\
        .venv/bin/python bench/metrics_rebuild.py --org large

The baseline is a single statement a DBA would write: every source grouped by
rep × day (the first won deal of each customer found with DISTINCT ON), stacked
and summed, materialised into a temporary table. The rebuild is
`rumbo metrics rebuild`: it also writes the first-purchase table and the
month rollups, into logged, indexed tables, and compares with the rows already
there (writing only differences). It is timed once into empty rollups (the
organisation's rows deleted and the tables vacuumed first), then `--repeat`
times over its own rows, alternating with the baseline after a warm-up run.

The refresh inserts `--new-deals` deals (random reps, customers and close
dates in the last year) in one transaction, queues their keys as an import
does, times `metrics_refresh_pending`, and rolls everything back, so the
organisation's own rows are left as they were."""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import django

BASELINE = """
CREATE TEMP TABLE bench_baseline AS
WITH firsts AS (
    SELECT DISTINCT ON (customer_id) customer_id, owner_id, closed_on, amount_base
    FROM sales_deal
    WHERE organization_id = %(org)s AND outcome = 'won' AND closed_on IS NOT NULL
      AND customer_id IS NOT NULL
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
    FROM sales_deal
    WHERE organization_id = %(org)s AND outcome IN ('won', 'lost') AND closed_on IS NOT NULL
    GROUP BY 1, 2
  UNION ALL
    SELECT owner_id, closed_on, 0, 0, 0, 0, COUNT(*), SUM(amount_base), 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM firsts GROUP BY 1, 2
  UNION ALL
    SELECT owner_id, date, 0, 0, 0, 0, 0, 0, COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM sales_activity WHERE organization_id = %(org)s GROUP BY 1, 2
  UNION ALL
    SELECT rep_id, responded_on, 0, 0, 0, 0, 0, 0, 0,
           COUNT(*) FILTER (WHERE kind = 'csat'),
           COUNT(*) FILTER (WHERE kind = 'csat' AND score >= 4),
           SUM(score) FILTER (WHERE kind = 'csat'),
           COUNT(*) FILTER (WHERE kind = 'nps'),
           COUNT(*) FILTER (WHERE kind = 'nps' AND score >= 9),
           COUNT(*) FILTER (WHERE kind = 'nps' AND score <= 6),
           0, 0, 0, 0
    FROM sales_surveyresponse WHERE organization_id = %(org)s GROUP BY 1, 2
  UNION ALL
    SELECT rep_id, (opened_at AT TIME ZONE %(tz)s)::date, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0,
           COUNT(*),
           COUNT(*) FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL),
           SUM(EXTRACT(EPOCH FROM resolved_at - opened_at) / 3600.0)
               FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL),
           COUNT(*) FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL
               AND EXTRACT(EPOCH FROM resolved_at - opened_at) / 3600.0 <= CASE severity
                   WHEN 'critical' THEN 8 WHEN 'high' THEN 24 WHEN 'medium' THEN 72
                   WHEN 'low' THEN 120 ELSE 72 END)
    FROM sales_complaint WHERE organization_id = %(org)s GROUP BY 1, 2
) AS u
GROUP BY member_id, day
"""

NEW_DEALS = """
INSERT INTO sales_deal (organization_id, external_id, name, owner_id, customer_id, stage,
                        outcome, loss_reason, source, amount, currency, amount_base,
                        created_on, closed_on)
SELECT %(org)s, '', 'Bench deal ' || g, m.ids[1 + (random() * (m.n - 1))::int],
       c.ids[1 + (random() * (c.n - 1))::int], 'closed',
       CASE WHEN random() < 0.45 THEN 'won' ELSE 'lost' END, '', '', a, %(currency)s, a,
       d - (random() * 60)::int, d
FROM generate_series(1, %(count)s) AS g
CROSS JOIN LATERAL (SELECT round((100 + random() * 20000 + g * 0)::numeric, 2) AS a,
                           (CURRENT_DATE - (random() * 365 + g * 0)::int) AS d) AS r
CROSS JOIN (SELECT array_agg(id) AS ids, count(*) AS n FROM tenancy_member
            WHERE organization_id = %(org)s AND role = 'rep') AS m
CROSS JOIN (SELECT array_agg(id) AS ids, count(*) AS n FROM (
            SELECT id FROM sales_customer WHERE organization_id = %(org)s LIMIT 100000) s) AS c
RETURNING owner_id, closed_on
"""


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def baseline(org: Any) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BASELINE, {"org": org.pk, "tz": org.time_zone})
        cursor.execute("SELECT count(*) FROM bench_baseline")
        rows = int(cursor.fetchone()[0])
        cursor.execute("DROP TABLE bench_baseline")
    return rows


def rebuild(org: Any) -> int:
    from rumbo.metrics.services import metrics_rebuild

    return metrics_rebuild(organization=org).day_rows


def refresh_after_new_deals(org: Any, count: int, every_source: bool) -> tuple[float, float, int]:
    """Insert `count` deals, queue their keys as an import does (the deals'
    sources only, under a ticket), refresh as the task does; roll it all back.
    `every_source`: refresh them from every source, as before sources were named."""
    from django.db import connection, transaction

    from rumbo.metrics import registry
    from rumbo.metrics.models import DirtyKey
    from rumbo.metrics.services import metrics_mark_changed, metrics_refresh_pending
    from rumbo.sales.models import Deal

    with transaction.atomic():
        with connection.cursor() as cursor:
            insert_s, _ = timed(lambda: cursor.execute(
                NEW_DEALS, {"org": org.pk, "count": count, "currency": org.currency}))  # fmt: skip
            keys = set(cursor.fetchall())
        sources = None if every_source else registry.refreshed_by(Deal)
        metrics_mark_changed(organization_id=org.pk, keys=keys, sources=sources)
        queued = DirtyKey.objects.filter(organization_id=org.pk, batch__lt=0)
        ticket = -queued.values_list("batch", flat=True).first()  # type: ignore[operator]
        refresh_s, days = timed(lambda: metrics_refresh_pending(
            organization_id=org.pk, ticket=ticket, sources=sources))  # fmt: skip
        transaction.set_rollback(True)
    return insert_s, refresh_s, days


@contextlib.contextmanager
def as_before() -> Iterator[None]:
    """The first build as it was before: secondary indexes kept during the load,
    the server's memory settings."""
    from rumbo.metrics import services, sync

    saved = services.MEMORY, sync.load
    services.MEMORY, sync.load = [], sync.replace  # type: ignore[assignment]
    try:
        yield
    finally:
        services.MEMORY, sync.load = saved  # type: ignore[assignment]


def empty_rollups(org: Any) -> None:
    """Delete the organisation's rollup rows and vacuum, as before a first build."""
    from django.db import connection

    from rumbo.metrics.models import FirstFact, RollupDay, RollupMonth

    for model in (FirstFact, RollupDay, RollupMonth):
        model.objects.filter(organization_id=org.pk).delete()
    with connection.cursor() as cursor:
        for model in (FirstFact, RollupDay, RollupMonth):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def report(name: str, times: list[float]) -> str:
    return f"{name:<40} best {min(times):7.2f} s   median {statistics.median(times):7.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", default="large")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--new-deals", type=int, default=10_000)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument(
        "--before", action="store_true",
        help="also time the first build and the refresh as they were before (same run)",
    )  # fmt: skip
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from django.db import connection

    from rumbo.tenancy.models import Organization

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    org = Organization.objects.get(slug=args.org)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sales_deal WHERE organization_id = %s", [org.pk])
        deals = cursor.fetchone()[0]
    print(f"Organisation {org.slug}: {deals:,} deals; PostgreSQL "
          f"{connection.cursor().connection.info.server_version}; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    if not args.skip_rebuild:
        seconds, rows = timed(lambda: baseline(org))
        print(f"  warm-up baseline: {seconds:.2f} s ({rows:,} rep-day rows)")
        if args.before:
            empty_rollups(org)
            with as_before():
                old_first, written = timed(lambda: rebuild(org))
            print(f"  rebuild into empty rollups as before: {old_first:.2f} s "
                  f"({written:,} rep-day rows written)")  # fmt: skip
        empty_rollups(org)
        first, written = timed(lambda: rebuild(org))
        print(f"  rebuild into empty rollups: {first:.2f} s ({written:,} rep-day rows written)")
        results: dict[str, list[float]] = {"baseline": [], "rebuild": []}
        for run in range(args.repeat):
            for name, fn in (("baseline", baseline), ("rebuild", rebuild)):
                seconds, rows = timed(lambda fn=fn: fn(org))
                results[name].append(seconds)
                print(f"  run {run + 1} {name}: {seconds:.2f} s ({rows:,} rows"
                      f"{' written' if name == 'rebuild' else ''}); "
                      f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
        print(report("hand-written GROUP BY (temp table)", results["baseline"]))
        print(report("rumbo metrics rebuild (over its rows)", results["rebuild"]))
        print(f"{'rumbo metrics rebuild (empty rollups)':<40} {first:7.2f} s")
        best = min(results["baseline"])
        print(f"ratio to the best baseline: rebuild {min(results['rebuild']) / best:.2f}, "
              f"first build {first / best:.2f}")  # fmt: skip
        if args.before:
            print(f"{'first build as before':<40} {old_first:7.2f} s   "
                  f"ratio to the best baseline {old_first / best:.2f}")  # fmt: skip
    variants = [False, True] if args.before else [False]
    refreshes: dict[bool, list[float]] = {v: [] for v in variants}
    for _run in range(args.repeat):
        for every_source in variants:
            insert_s, refresh_s, days = refresh_after_new_deals(org, args.new_deals, every_source)
            refreshes[every_source].append(refresh_s)
            print(f"  {args.new_deals:,} new deals: insert {insert_s:.2f} s, "
                  f"refresh {refresh_s:.2f} s ({days:,} rep-days"
                  f"{', every source' if every_source else ''})")  # fmt: skip
    print(report(f"refresh after {args.new_deals:,} new deals", refreshes[False]))
    if args.before:
        print(report("  the same, every source (before)", refreshes[True]))


if __name__ == "__main__":
    main()
