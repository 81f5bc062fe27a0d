"""Reconverting deals when a rate changes (ADR 0013): set-based, one UPDATE per
currency, whatever the number of deals.

    .venv/bin/python bench/money_reconvert.py [--deals 100000]
    DATABASE_URL=postgres://... .venv/bin/python bench/money_reconvert.py

Creates a throwaway organisation with `--deals` USD deals of one rep (80 %
won over two years, the rest open), a USD rate at the start, then times a
correction of that rate (every deal reconverted, every won deal's key queued)
and a new rate in the middle (half of them), counting the statements each ran.
Everything runs in one transaction that is rolled back: the database is left
as it was. Needs a migrated database (`rumbo migrate`)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from decimal import Decimal

import django


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from rumbo.metrics.models import DirtyKey
    from rumbo.sales import money
    from rumbo.sales.models import Customer, Deal, ExchangeRate
    from rumbo.tenancy.models import Member, Organization, Role

    rng = random.Random(13)
    start = dt.date(2024, 1, 1)
    try:
        with transaction.atomic():
            org = Organization.objects.create(slug="bench-money", name="Bench", currency="EUR")
            admin = Member.objects.create(organization=org, name="Admin", role=Role.ADMIN)
            customer = Customer.objects.create(organization=org, name="Customer", owner=admin)
            rate = ExchangeRate.objects.create(organization=org, currency="USD", date=start,
                                               rate=Decimal("0.90"))  # fmt: skip
            deals = []
            for i in range(args.deals):
                amount = Decimal(rng.randint(100, 100_000))
                won = rng.random() < 0.8
                closed = start + dt.timedelta(days=rng.randrange(730)) if won else None
                deals.append(Deal(
                    organization=org, name=f"Deal {i}", owner=admin, customer=customer,
                    stage="closed" if won else "proposal", outcome="won" if won else "open",
                    amount=amount, currency="USD", amount_base=money.convert(amount, rate.rate),
                    created_on=start, closed_on=closed,
                ))  # fmt: skip
            Deal.objects.bulk_create(deals, batch_size=5000)
            for label, call in (
                ("correct the first rate (all deals)",
                 lambda: _save(money, rate, admin, Decimal("0.92"))),
                ("add a rate in the middle (about half)",
                 lambda: _add(money, org, admin, start + dt.timedelta(days=365))),
            ):  # fmt: skip
                queued = DirtyKey.objects.filter(organization_id=org.pk).count()
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    changed = call()
                    seconds = time.perf_counter() - began
                updates = sum(1 for q in queries if q["sql"].startswith('UPDATE "sales_deal"'))
                print(f"{connection.vendor:10} {args.deals:>7} deals  {label:40} "
                      f"{seconds:6.2f} s  {len(queries):3} statements ({updates} UPDATE of "
                      f"deals)  {changed} deals changed  "
                      f"{DirtyKey.objects.filter(organization_id=org.pk).count() - queued} "
                      "keys queued")  # fmt: skip
                if os.environ.get("BENCH_SLOWEST"):
                    for q in sorted(queries, key=lambda q: -float(q["time"]))[:4]:
                        print(f"    {q['time']} s  {q['sql'][:160]}")
            raise Rollback
    except Rollback:
        pass


def _save(money: object, rate: object, admin: object, value: Decimal) -> int:
    from rumbo.sales.models import Deal

    before = dict(Deal.objects.filter(organization=admin.organization).values_list(  # type: ignore[attr-defined]
        "pk", "amount_base")[:1])  # fmt: skip
    rate.rate = value  # type: ignore[attr-defined]
    money.exchange_rate_save(actor=admin, rate=rate, creating=False)  # type: ignore[attr-defined]
    pk = next(iter(before))
    assert Deal.objects.get(pk=pk).amount_base != before[pk]
    return Deal.objects.filter(organization=admin.organization).count()  # type: ignore[attr-defined]


def _add(money: object, org: object, admin: object, day: dt.date) -> int:
    from rumbo.sales.models import Deal, ExchangeRate

    rate = ExchangeRate(organization=org, currency="USD", date=day, rate=Decimal("0.95"))
    money.exchange_rate_save(actor=admin, rate=rate, creating=True)  # type: ignore[attr-defined]
    deals = Deal.objects.filter(organization=org)
    return deals.filter(closed_on__gte=day).count() + deals.filter(closed_on__isnull=True).count()


if __name__ == "__main__":
    main()
