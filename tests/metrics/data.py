"""A varied set of sales facts for an organisation of the personas world: won,
lost and open deals over several months, repeat customers, activities, CSAT
and NPS answers, complaints of every severity, resolved in and out of target."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from rumbo.tenancy.models import Member, Organization
from tests import factories as f

START = dt.date(2025, 1, 1)


def fill(org: Organization, members: list[Member], seed: int = 7, deals: int = 60) -> None:
    rng = random.Random(seed)
    customers = [f.CustomerFactory(organization=org, owner=rng.choice(members))
                 for _ in range(12)]  # fmt: skip
    for _ in range(deals):
        owner = rng.choice(members)
        created = START + dt.timedelta(days=rng.randrange(300))
        outcome = rng.choice(["won", "won", "lost", "open"])
        closed = created + dt.timedelta(days=rng.randrange(60)) if outcome != "open" else None
        amount = Decimal(rng.randrange(100, 50_000)) / 4
        f.DealFactory(
            organization=org, owner=owner, customer=rng.choice(customers), outcome=outcome,
            stage="closed" if closed else "proposal", created_on=created, closed_on=closed,
            amount=amount, amount_base=amount.quantize(Decimal("0.01")),
            currency=org.currency,
        )  # fmt: skip
    for _ in range(40):
        f.ActivityFactory(organization=org, owner=rng.choice(members),
                          customer=rng.choice(customers),
                          date=START + dt.timedelta(days=rng.randrange(365)))  # fmt: skip
    for _ in range(40):
        kind = rng.choice(["csat", "nps"])
        f.SurveyResponseFactory(
            organization=org, rep=rng.choice(members), customer=rng.choice(customers),
            kind=kind, score=rng.randint(1, 5) if kind == "csat" else rng.randint(0, 10),
            responded_on=START + dt.timedelta(days=rng.randrange(365)),
        )  # fmt: skip
    for _ in range(25):
        opened = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            hours=rng.randrange(24 * 365)
        )
        resolved = rng.random() < 0.7
        f.ComplaintFactory(
            organization=org, rep=rng.choice(members), customer=rng.choice(customers),
            severity=rng.choice(["low", "medium", "high", "critical"]), opened_at=opened,
            status="resolved" if resolved else "open",
            resolved_at=opened + dt.timedelta(minutes=rng.randrange(60 * 150))
            if resolved else None,
        )  # fmt: skip
    # Care: follow-ups of won deals, done on time, late, cancelled or still open.
    from rumbo.care.models import FollowUp
    from rumbo.sales.models import Deal

    won = list(Deal.objects.filter(organization=org, outcome="won").order_by("id"))
    for _ in range(30):
        deal = rng.choice(won)
        due = deal.closed_on + dt.timedelta(days=rng.randrange(1, 40))
        status = rng.choice(["done", "done", "done", "cancelled", "open"])
        done_on = due + dt.timedelta(days=rng.randrange(-5, 8)) if status == "done" else None
        FollowUp.objects.create(
            organization=org, owner=rng.choice([deal.owner, *members]), customer=deal.customer,
            deal=deal, kind="checkin", title="Check-in call", due_on=due, status=status,
            done_on=done_on,
        )  # fmt: skip
