"""Recomputing the progress of many goals in one batch (target: 200,000 goals
in ≤ 10 s), on the large demo organisation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rumbo_large \\
        .venv/bin/python bench/goals_recompute.py --org large --goals 200000

Creates the goals first (not timed): for each rep, in turn, goals on revenue,
deals won, activities, new customers, win rate, CSAT, NPS and complaints per
100 deals over this month, this quarter, this half-year and this year (some
with milestones), plus a goal per team and a few for the organisation. Then
times `goals_recompute` for the day (`--repeat` times; the first run inserts
the day's rows, later ones update them) and prints the figures with the
number of queries. The bench's goals are deleted at the end unless `--keep`."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import time
from decimal import Decimal
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from rumbo.tenancy.models import Organization

METRICS = [("revenue", 30000), ("deals_won", 12), ("activities", 60), ("new_customers", 3),
           ("win_rate", 35), ("csat", 80), ("nps", 30), ("complaint_rate", 2)]  # fmt: skip
NAME = "bench goal"


def periods(day: dt.date) -> list[tuple[dt.date, dt.date, Decimal]]:
    """(start, end, size in months) of the running month, quarter, half and year."""
    from rumbo.metrics.evaluation import add_months, month_end

    quarter = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    half = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
    return [(day.replace(day=1), month_end(day), Decimal(1)),
            (quarter, month_end(add_months(quarter, 2)), Decimal(3)),
            (half, month_end(add_months(half, 5)), Decimal(6)),
            (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), Decimal(12))]  # fmt: skip


def create(org: Organization, day: dt.date, count: int) -> int:
    from rumbo.goals.models import Goal, Milestone
    from rumbo.metrics import registry
    from rumbo.tenancy.models import Member, Team

    reps = list(Member.objects.filter(organization=org, role="rep").values_list("pk", flat=True))
    teams = list(Team.objects.filter(organization=org).values_list("pk", flat=True))
    shapes = list(itertools.product(METRICS, periods(day)))
    goals = []
    for team in teams:
        goals.append(Goal(organization=org, team_id=team, metric="revenue", name=NAME,
                          target=Decimal(300000), start=periods(day)[1][0],
                          end=periods(day)[1][1]))  # fmt: skip
    for n in range(count - len(goals)):
        (metric, target), (start, end, months) = shapes[n // len(reps) % len(shapes)]
        cumulative = registry.get_metric(metric).cumulative  # type: ignore[union-attr]
        goals.append(Goal(organization=org, member_id=reps[n % len(reps)], metric=metric,
                          name=NAME, start=start, end=end,
                          target=Decimal(target) * (months if cumulative else 1)))  # fmt: skip
    made = Goal.objects.bulk_create(goals, batch_size=5000)
    stones = [Milestone(goal=g, day=g.start + (g.end - g.start) / 2, target=g.target / 2)
              for g in made[::7] if registry.get_metric(g.metric).cumulative]  # type: ignore[union-attr]
    Milestone.objects.bulk_create(stones, batch_size=5000)
    return len(made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", default="large")
    parser.add_argument("--goals", type=int, default=200_000)
    parser.add_argument("--day", type=dt.date.fromisoformat, help="default: the org's today")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rumbo.goals.models import Goal, Progress
    from rumbo.goals.progress import goals_recompute, local_today
    from rumbo.tenancy.models import Organization

    org = Organization.objects.get(slug=args.org)
    day = args.day or local_today(org)
    Goal.objects.filter(organization=org, name=NAME).delete()
    started = time.perf_counter()
    made = create(org, day, args.goals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics after a bulk load
            cursor.execute("ANALYZE goals_goal; ANALYZE goals_milestone; ANALYZE goals_progress")
    print(f"{org.slug}: {made:,} goals created in {time.perf_counter() - started:.1f} s "
          f"(not timed below); day {day}; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    try:
        for run in range(1, args.repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                recorded = goals_recompute(organization=org, day=day)
                seconds = time.perf_counter() - started
            print(f"run {run}: {recorded:,} goals recorded in {seconds:.2f} s "
                  f"({recorded / seconds:,.0f} goals/s), {len(queries)} queries, "
                  f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    finally:
        if not args.keep:
            Progress.objects.filter(goal__organization=org, goal__name=NAME).delete()
            Goal.objects.filter(organization=org, name=NAME).delete()


if __name__ == "__main__":
    main()
