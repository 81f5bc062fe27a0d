"""Two documented public CRM export layouts, built here as a user would get them
and imported whole with `rumbo import FOLDER` (flags only, no file edited): per
rep, revenue, deals won, win rate, sales cycle and repeat rate printed by
`rumbo metrics show` right after the import (no rebuild) equal a computation
made here from the raw rows (issue 15, "Done when")."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.metrics.test_show_matches_imports import _close, _show

pytestmark = pytest.mark.django_db

YEAR = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _import(folder: Path, *flags: str) -> None:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", str(folder), "--org", "acme", *flags, stdout=out, stderr=err)
    except SystemExit as exc:
        raise AssertionError(out.getvalue() + err.getvalue()) from exc


def _deals(rng: random.Random, reps: list[str], customers: list[str], n: int) -> list[dict]:
    """n deals of 2024; won and lost ones close on distinct days, so that no two
    won deals of a customer tie on the close date."""
    days = rng.sample(range(30, 366), n)
    rows = []
    for i, day in enumerate(days):
        closed = YEAR[0] + dt.timedelta(days=day)
        roll = rng.random()
        outcome = "won" if roll < 0.5 else "lost" if roll < 0.8 else "open"
        rows.append({"id": f"{rng.randrange(16**8):08X}{i}", "rep": rng.choice(reps),
                     "customer": rng.choice(customers), "outcome": outcome,
                     "amount": Decimal(rng.randrange(5_000, 900_000)) / 100,
                     "created": closed - dt.timedelta(days=rng.randrange(1, 120)),
                     "closed": closed})  # fmt: skip
    return rows


def _check(rows: list[dict]) -> None:
    """Every figure per rep from the raw rows against `rumbo metrics show`."""
    closed = [r for r in rows if r["outcome"] != "open"]
    won = [r for r in closed if r["outcome"] == "won"]
    by_rep: dict[str, list[dict]] = defaultdict(list)
    for r in won:
        by_rep[r["rep"]].append(r)
    revenue = {rep: sum(r["amount"] for r in mine) for rep, mine in by_rep.items()}
    shown = _show("revenue", YEAR, "rep")
    assert {rep: Decimal(str(v)).quantize(Decimal("0.01")) for rep, v in shown.items() if v} \
        == revenue  # fmt: skip
    assert {k: v for k, v in _show("deals_won", YEAR, "rep").items() if v} == \
        {rep: float(len(mine)) for rep, mine in by_rep.items()}  # fmt: skip
    closed_by: dict[str, list[dict]] = defaultdict(list)
    for r in closed:
        closed_by[r["rep"]].append(r)
    _close(_show("win_rate", YEAR, "rep"),
           {rep: 100 * sum(r["outcome"] == "won" for r in mine) / len(mine)
            for rep, mine in closed_by.items()})  # fmt: skip
    _close(_show("sales_cycle_days", YEAR, "rep"),
           {rep: sum((r["closed"] - r["created"]).days for r in mine) / len(mine)
            for rep, mine in by_rep.items()})  # fmt: skip
    seen: set[str] = set()
    repeats: dict[str, int] = defaultdict(int)
    for r in sorted(won, key=lambda r: r["closed"]):  # no ties: distinct close days
        if r["customer"] in seen:
            repeats[r["rep"]] += 1
        seen.add(r["customer"])
    _close(
        _show("repeat_rate", YEAR, "rep"),
        {rep: 100 * repeats[rep] / len(mine) for rep, mine in by_rep.items()},
    )
    assert sum(repeats.values()) > 0  # the data does hold repeat purchases


def test_the_sample_crm_sales_opportunities_layout(world, tmp_path) -> None:
    """Maven Analytics' public "CRM Sales Opportunities" sample: several managers
    per regional office, employees as plain numbers, products without SKU, open
    deals with no close date nor value, and the pipeline's "GTXPro" spelling."""
    rng = random.Random(15)
    folder = tmp_path / "crm"
    folder.mkdir()
    team = [("Anna Snelling", "Dustin Brinkmann", "Central"),
            ("Cecily Lampkin", "Melvin Marxen", "Central"),
            ("Versie Hillebrand", "Dustin Brinkmann", "Central"),
            ("Moses Frase", "Cara Losch", "East")]  # fmt: skip
    _write(
        folder / "sales_teams.csv",
        ["sales_agent", "manager", "regional_office"],
        [list(t) for t in team],
    )
    customers = ["Acme Corporation", "Betasoloin", "Betatech", "Bioholding", "Cancity",
                 "Codehow", "Dalttechnology", "Dontechi", "Finhigh", "Gekko & Co"]  # fmt: skip
    _write(folder / "accounts.csv",
           ["account", "sector", "year_established", "revenue", "employees",
            "office_location", "subsidiary_of"],
           [[name, "technolgy", 1980 + n, f"{rng.randrange(100, 9000)}.{n:02}",
             rng.randrange(10, 20_000), "United States", ""]
            for n, name in enumerate(customers)])  # fmt: skip
    products = [("GTX Basic", "GTX", 550), ("GTX Pro", "GTX", 4821), ("MG Special", "MG", 55)]
    _write(
        folder / "products.csv", ["product", "series", "sales_price"], [list(p) for p in products]
    )
    rows = _deals(rng, [t[0] for t in team], customers, 70)
    stages = {"won": "Won", "lost": "Lost"}
    pipeline = []
    for r in rows:
        product = rng.choice(["GTX Basic", "GTXPro", "MG Special"])
        if r["outcome"] == "open":
            pipeline.append([r["id"], r["rep"], product, r["customer"],
                             rng.choice(["Engaging", "Prospecting"]),
                             r["created"].isoformat(), "", ""])  # fmt: skip
        else:
            value = r["amount"] if r["outcome"] == "won" else 0
            pipeline.append(
                [
                    r["id"],
                    r["rep"],
                    product,
                    r["customer"],
                    stages[r["outcome"]],
                    r["created"].isoformat(),
                    r["closed"].isoformat(),
                    value,
                ]
            )
    _write(folder / "sales_pipeline.csv",
           ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
            "close_date", "close_value"], pipeline)  # fmt: skip
    # The alias names a product the folder's own products file creates.
    _import(folder, "--alias", "product:GTXPro=GTX Pro", "--alias", "stage:Engaging=qualification")
    _check(rows)


def test_a_hubspot_export(world, tmp_path) -> None:
    """HubSpot's documented export columns: users, companies and deals with
    "Closed Won" / "Closed Lost" / "Appointment Scheduled" stages."""
    rng = random.Random(2015)
    folder = tmp_path / "hubspot"
    folder.mkdir()
    reps = [("Lena", "Ortiz"), ("Marco", "Bauer"), ("Priya", "Nair")]
    # HubSpot's users export splits the name in two; the reps file wants one
    # name column, so the owners file carries "Full Name" (as the deals' owner).
    _write(
        folder / "users.csv",
        ["Full Name", "Email"],
        [[f"{f} {s}", f"{f.lower()}@acme.test"] for f, s in reps],
    )
    names = [f"{f} {s}" for f, s in reps]
    customers = [
        f"Harbor {word}"
        for word in (
            "Foods",
            "Labs",
            "Tools",
            "Media",
            "Bank",
            "Motors",
            "Farms",
            "Health",
            "Energy",
            "Air",
        )
    ]
    _write(folder / "companies.csv",
           ["Record ID", "Company name", "Industry", "Number of Employees", "Country/Region",
            "City"],
           [[1000 + n, name, "Software", rng.randrange(5, 5000), "Germany", "Berlin"]
            for n, name in enumerate(customers)])  # fmt: skip
    rows = _deals(rng, names, customers, 60)
    stages = {"won": "Closed Won", "lost": "Closed Lost", "open": "Appointment Scheduled"}
    _write(folder / "deals.csv",
           ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date",
            "Deal owner", "Associated Company"],
           [[5000 + n, f"{r['customer']} deal {n}", stages[r["outcome"]], r["amount"],
             r["closed"].isoformat() if r["outcome"] != "open" else "",
             r["created"].isoformat(), r["rep"], r["customer"]]
            for n, r in enumerate(rows)])  # fmt: skip
    _import(folder)
    _check(rows)
