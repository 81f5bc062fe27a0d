"""How long the search box takes on the demo organisation: the selector alone
(every registered kind, the dropdown's 5 rows per kind and the counts) as the
director (the whole organisation), a manager and a rep, for short, common,
accented, two-word and unmatched queries; queries per search are printed too.

    DATABASE_URL=sqlite:////tmp/search_bench/demo.sqlite3 .venv/bin/python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_demo .venv/bin/python bench/search.py

Run `rumbo migrate && rumbo demo` on that database first. Each case runs
`--repeat` times after a warm-up; median, 95th percentile and best are printed."""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

PEOPLE = ("director@demo.example", "manager@demo.example", "rep@demo.example")
QUERIES = ("ma", "garcia", "muñoz", "MUNOZ", "maria lopez", "sevilla", "zzqx")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--limit", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rumbo.sales.models import Customer, Deal
    from rumbo.search.selectors import search
    from rumbo.tenancy.models import Member

    print(f"database: {connection.vendor}; customers {Customer.objects.count():,}, "
          f"deals {Deal.objects.count():,}; limit {args.limit} per kind")  # fmt: skip
    print(f"{'who':<24}{'query':<14}{'found':>8}{'queries':>9}{'median':>10}{'p95':>9}{'best':>9}")
    for email in PEOPLE:
        member = Member.objects.select_related("organization").get(user__email=email)
        for query in QUERIES:
            with CaptureQueriesContext(connection) as captured:
                groups = search(member=member, query=query, limit=args.limit)
            times = []
            for _ in range(args.repeat):
                fresh = Member.objects.get(pk=member.pk)  # a request's member: no cached team ids
                start = time.perf_counter()
                search(member=fresh, query=query, limit=args.limit)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            found = sum(g.count for g in groups)
            print(f"{email.split('@')[0]:<24}{query:<14}{found:>8}{len(captured):>9}"
                  f"{statistics.median(times):>8.1f}ms{p95:>7.1f}ms{times[0]:>7.1f}ms")  # fmt: skip


if __name__ == "__main__":
    main()
