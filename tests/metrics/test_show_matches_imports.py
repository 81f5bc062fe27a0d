"""`rumbo metrics show` against figures computed here, independently, from the
rows of the files imported with `rumbo import` (customers, then deals), after
the incremental refresh the imports queued (`rumbo metrics refresh`)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

REPS = ("Rita", "Nina", "Sofia")
YEAR = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
SECOND_HALF = dt.date(2024, 7, 1), dt.date(2024, 12, 31)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def deals(world, tmp_path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """250 random deals of 2024 over 12 customers, imported as a user would."""
    rng = random.Random(2024)
    customers = [f"Imported customer {n:02}" for n in range(12)]
    _write(tmp_path / "customers.csv", ["Name", "Owner"],
           [[name, rng.choice(REPS)] for name in customers])  # fmt: skip
    rows = []
    for n in range(250):
        closed = YEAR[0] + dt.timedelta(days=rng.randrange(366))
        rows.append({"id": f"IMP-{n}", "owner": rng.choice(REPS), "customer": rng.choice(customers),
                     "outcome": "won" if rng.random() < 0.45 else "lost",
                     "amount": Decimal(rng.randrange(10_000, 500_000)) / 100, "closed": closed,
                     "created": closed - dt.timedelta(days=rng.randrange(90))})  # fmt: skip
    _write(tmp_path / "deals.csv",
           ["External id", "Name", "Owner", "Customer", "Stage", "Amount", "Closed on",
            "Created on"],
           [[r["id"], f"Deal {r['id']}", r["owner"], r["customer"], r["outcome"], r["amount"],
             r["closed"].isoformat(), r["created"].isoformat()] for r in rows])  # fmt: skip
    for kind in ("customers", "deals"):
        call_command("import", kind, str(tmp_path / f"{kind}.csv"), "--org", "acme", "--quiet",
                     stdout=StringIO())  # fmt: skip
    call_command("metrics", "refresh", "--org", "acme", stdout=StringIO())
    return rows


def _show(metric: str, period: tuple[dt.date, dt.date], by: str = "") -> dict[str, float]:
    out = StringIO()
    extra = ["--by", by] if by else []
    call_command("metrics", "show", "--org", "acme", "--metric", metric, "--from",
                 period[0].isoformat(), "--to", period[1].isoformat(), *extra, "--format",
                 "json", stdout=out)  # fmt: skip
    return {str(row.get(by, "")): float(row["value"]) for row in json.loads(out.getvalue())
            if row["value"] is not None}  # fmt: skip


def _within(rows: list[dict[str, Any]], period: tuple[dt.date, dt.date]) -> list[dict[str, Any]]:
    return [r for r in rows if period[0] <= r["closed"] <= period[1]]


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[key if key == "" else row[key]].append(row)
    return groups


def _close(found: dict[str, float], expected: dict[str, float]) -> None:
    assert found.keys() == expected.keys()
    for group, value in expected.items():
        assert found[group] == pytest.approx(value, abs=0.01), group


def test_revenue_and_deals_by_rep_and_month_match_the_file(deals) -> None:  # type: ignore[no-untyped-def]
    won = [r for r in _within(deals, YEAR) if r["outcome"] == "won"]
    _close(
        _show("revenue", YEAR, "rep"),
        {rep: float(sum(r["amount"] for r in mine)) for rep, mine in _by(won, "owner").items()},
    )
    months: dict[str, float] = defaultdict(float)
    for r in won:
        months[f"{r['closed']:%Y-%m}"] += 1
    assert {k: v for k, v in _show("deals_won", YEAR, "month").items() if v} == months
    _close(_show("avg_deal_size", YEAR), {"": float(sum(r["amount"] for r in won)) / len(won)})


def test_rates_and_cycle_match_the_file(deals) -> None:  # type: ignore[no-untyped-def]
    closed = _within(deals, SECOND_HALF)
    expected = {}
    for rep, mine in _by(closed, "owner").items():
        expected[rep] = 100 * sum(r["outcome"] == "won" for r in mine) / len(mine)
    _close(_show("win_rate", SECOND_HALF, "rep"), expected)
    won = [r for r in closed if r["outcome"] == "won"]
    days = [(r["closed"] - r["created"]).days for r in won]
    _close(_show("sales_cycle_days", SECOND_HALF), {"": sum(days) / len(days)})


def test_repeat_purchases_and_new_customers_match_the_file(deals) -> None:  # type: ignore[no-untyped-def]
    # A customer's first purchase is its earliest won deal (ties: the earlier
    # row); every later won deal of the customer is a repeat purchase.
    won = sorted(((r["closed"], n, r) for n, r in enumerate(deals) if r["outcome"] == "won"),
                 key=lambda t: (t[0], t[1]))  # fmt: skip
    seen: set[str] = set()
    firsts: set[str] = set()
    for _day, _n, r in won:
        if r["customer"] not in seen:
            firsts.add(r["id"])
            seen.add(r["customer"])
    for period in (YEAR, SECOND_HALF):  # the year holds the firsts; the half, only repeats
        inside = [r for _d, _n, r in won if period[0] <= r["closed"] <= period[1]]
        rates = {rep: 100 * sum(r["id"] not in firsts for r in mine) / len(mine)
                 for rep, mine in _by(inside, "owner").items()}  # fmt: skip
        _close(_show("repeat_rate", period, "rep"), rates)
        if period == YEAR:
            assert min(rates.values()) < 100  # first purchases count as no repeat
    new = defaultdict(float, {rep: 0.0 for rep in REPS})
    for _d, _n, r in won:
        if r["id"] in firsts:
            new[r["owner"]] += 1
    assert {k: v for k, v in _show("new_customers", YEAR, "rep").items() if v} == \
        {k: v for k, v in new.items() if v}  # fmt: skip
    assert sum(new.values()) == 12  # every customer bought at least once in a year
