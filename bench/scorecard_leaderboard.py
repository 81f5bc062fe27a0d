"""How long scorecard scores and leaderboards take for an organisation of
10,000 reps: the selectors alone, and the pages through Django's test client
(server time: middleware, queries, template), as the organisation's admin.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_scorecards \\
        .venv/bin/python bench/scorecard_leaderboard.py --setup
    DATABASE_URL=... .venv/bin/python bench/scorecard_leaderboard.py --repeat 9

Scores and leaderboards read only the rollups, so `--setup` makes a synthetic
organisation (slug `bench-scorecard`: 10,000 reps in 100 teams) and fills its
rollup tables directly — 24 months of month rows and the last 62 days of day
rows per rep — rather than generating millions of deals. Run `rumbo migrate`
first. Each case runs `--repeat` times after a warm-up; the median, 95th percentile
and best wall-clock times are printed, and the median CPU time of this Python
process (the database server's work is not in it): on a busy machine the CPU
time says more about the code than the wall clock."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal

import django

SLUG = "bench-scorecard"
REPS, TEAMS = 10_000, 100
END = dt.date(2026, 9, 30)


def setup() -> None:
    from django.db import transaction

    from rumbo.metrics.models import RollupDay, RollupMonth
    from rumbo.metrics.services import metrics_rebuild  # noqa: F401 - the app is loaded
    from rumbo.tenancy.models import Member, Organization, Role, Team, User

    rng = random.Random(4)
    with transaction.atomic():
        old = Organization.objects.filter(slug=SLUG).first()
        if old is not None:
            RollupDay.objects.filter(organization=old).delete()
            RollupMonth.objects.filter(organization=old).delete()
            Member.objects.filter(organization=old).delete()
            Team.objects.filter(organization=old, parent__isnull=False).delete()
            Team.objects.filter(organization=old).delete()
            old.delete()
        org = Organization.objects.create(slug=SLUG, name="Bench scorecard", currency="EUR")
        root = Team.objects.create(organization=org, name="All")
        teams = Team.objects.bulk_create(
            Team(organization=org, name=f"Team {i:03d}", parent=root) for i in range(TEAMS)
        )
        user = User.objects.filter(email="bench-admin@scorecard.test").first()
        if user is None:
            user = User.objects.create_user("bench-admin@scorecard.test", "bench-pass-1")
        Member.objects.create(organization=org, user=user, name="Bench admin", role=Role.ADMIN,
                              team=root)  # fmt: skip
        reps = Member.objects.bulk_create(
            Member(organization=org, name=f"Rep {i:05d}", role=Role.REP, team=teams[i % TEAMS])
            for i in range(REPS)
        )

    def components(scale: float) -> dict[str, object]:
        won = rng.randint(0, int(8 * scale))
        csat = rng.randint(0, int(6 * scale))
        nps = rng.randint(0, int(5 * scale))
        promoters = rng.randint(0, nps)
        return {
            "won_amount": Decimal(won * rng.randint(500, 5000)), "deals_won": won,
            "deals_lost": rng.randint(0, int(8 * scale)),
            "first_purchases": rng.randint(0, won), "first_amount": Decimal(0),
            "activities": rng.randint(0, int(60 * scale)), "csat_responses": csat,
            "csat_positive": rng.randint(0, csat), "nps_responses": nps,
            "nps_promoters": promoters, "nps_detractors": rng.randint(0, nps - promoters),
            "complaints_opened": rng.randint(0, 1) if scale >= 1 else 0,
        }  # fmt: skip

    first_month = dt.date(END.year - 2, END.month + 1, 1) if END.month < 12 else None
    assert first_month is not None
    months = []
    cursor = first_month
    while cursor <= END:
        months.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    for month in months:
        RollupMonth.objects.bulk_create(
            (RollupMonth(organization=org, member=rep, month=month, **components(1))
             for rep in reps), batch_size=5000,
        )  # fmt: skip
        print(f"month rows {month:%Y-%m}", flush=True)
    for offset in range(62):
        day = END - dt.timedelta(days=offset)
        RollupDay.objects.bulk_create(
            (RollupDay(organization=org, member=rep, day=day, **components(0.1))
             for rep in reps if rng.random() < 0.5), batch_size=5000,
        )  # fmt: skip
    print("day rows written")


def timed(label: str, repeat: int, run: object) -> None:
    times, cpu = [], []
    for _ in range(repeat + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    times, cpu = times[1:], cpu[1:]
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"{label:<52} {result:>6} {1000 * statistics.median(times):>7.0f} "
        f"{1000 * p95:>7.0f} {1000 * min(times):>7.0f} {1000 * statistics.median(cpu):>7.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", action="store_true", help="(re)make the organisation")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    if args.setup:
        setup()
    from django.db import connection
    from django.test import Client

    from rumbo.metrics.evaluation import Scope
    from rumbo.metrics.leaderboards import leaderboard
    from rumbo.metrics.scorecards import scorecard_scores
    from rumbo.tenancy.models import Member, Role

    admin = Member.objects.select_related("organization").get(organization__slug=SLUG,
                                                              role=Role.ADMIN)  # fmt: skip
    team = Member.objects.filter(organization__slug=SLUG, role=Role.REP).first()
    assert team is not None
    quarter = (dt.date(2026, 7, 1), END)
    ragged = (dt.date(2026, 8, 10), dt.date(2026, 9, 25))
    client = Client()
    client.force_login(admin.user)  # type: ignore[arg-type]

    def page(url: str) -> object:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    print(f"{connection.vendor}; load average {os.getloadavg()[0]:.2f}; {REPS} reps")
    print(f"{'case (ms)':<52} {'rows':>6} {'median':>7} {'p95':>7} {'best':>7} {'py cpu':>7}")
    cases = [
        ("scores by rep, quarter", lambda: len(scorecard_scores(
            actor=admin, start=quarter[0], end=quarter[1], by="rep"))),
        ("scores by team, quarter", lambda: len(scorecard_scores(
            actor=admin, start=quarter[0], end=quarter[1], by="team"))),
        ("scores of one team, ragged period", lambda: len(scorecard_scores(
            actor=admin, scope=Scope("team", team.team_id), start=ragged[0], end=ragged[1]))),
        ("leaderboard by score, quarter (+ previous quarter)", lambda: len(leaderboard(
            actor=admin, start=quarter[0], end=quarter[1]))),
        ("leaderboard by revenue, quarter", lambda: len(leaderboard(
            actor=admin, key="revenue", start=quarter[0], end=quarter[1]))),
        ("leaderboard by score, ragged period", lambda: len(leaderboard(
            actor=admin, start=ragged[0], end=ragged[1]))),
        ("page /leaderboard/ (quarter, by score)", lambda: page(
            "/leaderboard/?period=quarter&on=2026-09-30")),
        ("page /leaderboard/ by team", lambda: page(
            "/leaderboard/?period=quarter&on=2026-09-30&by=team")),
        ("page /scorecard/ (the organisation, quarter)", lambda: page(
            "/scorecard/?period=quarter&on=2026-09-30&scope=org")),
    ]  # fmt: skip
    for label, run in cases:
        timed(label, args.repeat, run)


if __name__ == "__main__":
    main()
