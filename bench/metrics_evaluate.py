"""How long one evaluation takes, as the organisation's admin (every rep) and as
one rep, for rollup metrics over whole months, ragged periods and weeks, and
for the metrics computed from source (open pipeline, retention).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rumbo_large \\
        .venv/bin/python bench/metrics_evaluate.py --org large --end 2026-09-30

Each case runs `--repeat` times after a warm-up; the median is printed. The
rollups must have been built (`rumbo metrics rebuild --org SLUG`)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", default="large")
    parser.add_argument("--end", type=dt.date.fromisoformat, help="last day (default: today)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from rumbo.metrics import registry
    from rumbo.metrics.selectors import evaluate
    from rumbo.tenancy.models import Member, Role

    members = Member.objects.select_related("organization").filter(organization__slug=args.org)
    admin = members.filter(role=Role.ADMIN).order_by("id").first()
    rep = members.filter(role=Role.REP).order_by("id").first()
    assert admin is not None and rep is not None, "no such organisation, or no admin and rep"
    from django.utils import timezone

    end = args.end or timezone.localdate()
    quarter = (dt.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end)
    year = (dt.date(end.year - 1, end.month, 1), end)
    ragged = (end - dt.timedelta(days=50), end - dt.timedelta(days=3))
    cases = [
        ("revenue", quarter, "rep"), ("revenue", quarter, "team"), ("revenue", ragged, None),
        ("win_rate", year, "month"), ("nps", ragged, "rep"), ("csat", quarter, "week"),
        ("pipeline_value", quarter, "rep"), ("retention", quarter, None),
        ("retention", quarter, "rep"),
    ]  # fmt: skip
    print(f"Organisation {args.org}; load average {os.getloadavg()[0]:.2f}")
    print(f"{'metric':<16} {'period':<25} {'by':<6} {'as':<6} {'rows':>6} {'median ms':>10}")
    for key, (start, stop), by in cases:
        for actor, who in ((admin, "admin"), (rep, "rep")):
            times, rows = [], 0
            for _run in range(args.repeat + 1):
                started = time.perf_counter()
                rows = len(evaluate(actor=actor, metric=registry.METRICS[key], start=start,
                                    end=stop, group_by=by).rows)  # fmt: skip
                times.append(time.perf_counter() - started)
            print(f"{key:<16} {f'{start} – {stop}':<25} {str(by):<6} {who:<6} {rows:>6} "
                  f"{1000 * statistics.median(times[1:]):>10.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
