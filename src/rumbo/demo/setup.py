"""Pieces every demo organisation needs: logins with the demo password, the
catalogues (products, techniques, exchange rates) and the loop that lets each
rep's simulation fill the sink."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from rumbo.demo.calendar import Calendar, Rates
from rumbo.demo.context import OrgContext
from rumbo.demo.customers import make_customer
from rumbo.demo.profiles import RepProfile, spread
from rumbo.demo.simulate import simulate_rep
from rumbo.demo.sink import IdAllocator, Sink
from rumbo.demo.vocab import PRODUCTS, TECHNIQUES, ProductSpec
from rumbo.sales.models import Customer, Deal, ExchangeRate, Product, Technique
from rumbo.tenancy.models import Organization, User

DEMO_PASSWORD = "rumbo-demo"
TIME_ZONE = "Europe/Madrid"


@dataclass(frozen=True)
class DemoLogin:
    """A login printed at the end of `rumbo demo`."""

    organization: str
    role: str
    email: str
    name: str


@dataclass(frozen=True)
class Seller:
    """A rep to simulate: their traits, their Member id, where their customers are."""

    profile: RepProfile
    member_id: int
    region: str


class Passwords:
    """Hashing the demo password costs ~0.5 s with the production hasher, so
    every demo login shares one hash of the same (published) password."""

    def __init__(self) -> None:
        self._hash: str | None = None

    @property
    def hash(self) -> str:
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def logins_for(people: list[tuple[str, str]], passwords: Passwords) -> dict[str, User]:
    """Users for (email, full name) pairs, created or reset to the demo password."""
    emails = [email for email, _name in people]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = []
    for email, name in people:
        first, _sep, last = name.partition(" ")
        if email in users:
            users[email].password = passwords.hash
            users[email].save(update_fields=["password"])
        else:
            missing.append(
                User(email=email, first_name=first, last_name=last, password=passwords.hash)
            )
    for user in User.objects.bulk_create(missing):
        users[user.email] = user
    return users


def today_in(tz_name: str = TIME_ZONE) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(tz_name)).date()


def catalogues(
    org: Organization, today: dt.date, rng: random.Random, products: list[ProductSpec] = PRODUCTS
) -> OrgContext:
    """Create the organisation's products, techniques and monthly USD/GBP rates."""
    calendar = Calendar(today)
    rates = Rates(calendar, rng, base=org.currency)
    made = Product.objects.bulk_create(
        Product(organization=org, sku=p.sku, name=p.name, category=p.category,
                list_price=p.price)
        for p in products
    )  # fmt: skip
    techniques = Technique.objects.bulk_create(
        Technique(organization=org, name=spec.name, description=spec.description)
        for spec in TECHNIQUES
    )
    ExchangeRate.objects.bulk_create(
        ExchangeRate(organization=org, currency=currency, date=day, rate=rate)
        for currency, day, rate in rates.rows()
    )
    pairs = [(p.pk, spec) for p, spec in zip(made, products, strict=True)]
    tz = zoneinfo.ZoneInfo(org.time_zone)
    return OrgContext(
        org_id=org.pk, calendar=calendar, rates=rates,
        business_products=[(pk, s) for pk, s in pairs if "b" in s.audience],
        consumer_products=[(pk, s) for pk, s in pairs if "c" in s.audience],
        technique_ids=[t.pk for t in techniques],
        now=dt.datetime(today.year, today.month, today.day, tzinfo=tz).astimezone(dt.UTC),
        tz=tz,
    )  # fmt: skip


@dataclass(frozen=True)
class Volume:
    """How much one organisation gets."""

    customers: int
    deals: int
    abroad_share: float = 0.12
    business_share: float = 0.6
    contacts: int = 2  # at most, per business customer


def populate(
    ctx: OrgContext, sink: Sink, ids: IdAllocator, *, sellers: list[Seller], volume: Volume,
    seed: str, domain: str, progress: Callable[[int, int], None] | None = None,
) -> None:  # fmt: skip
    """Customers split over the sellers by volume, then each seller's deals."""
    weights = [s.profile.volume for s in sellers]
    customer_counts = [max(1, n) for n in spread(volume.customers, weights)]
    deal_counts = spread(volume.deals, weights)
    next_customer = ids.reserve(Customer, sum(customer_counts))
    next_deal = ids.reserve(Deal, sum(deal_counts))
    done = 0
    taken: set[str] = set()  # the organisation's customer names: no namesakes
    for index, seller in enumerate(sellers):
        rng = random.Random(f"{seed}:{index}")
        customers = [
            make_customer(
                rng,
                cid=next_customer + i,
                org_id=ctx.org_id,
                owner_id=seller.member_id,
                region_key=seller.region,
                abroad_share=volume.abroad_share,
                business_share=volume.business_share,
                contacts=volume.contacts,
                domain=domain,
                taken=taken,
            )  # fmt: skip
            for i in range(customer_counts[index])
        ]
        next_customer += customer_counts[index]
        simulate_rep(
            ctx, sink, rep=seller.profile, member_id=seller.member_id, customers=customers,
            first_deal_id=next_deal, deals=deal_counts[index], rng=rng,
        )  # fmt: skip
        next_deal += deal_counts[index]
        done += deal_counts[index]
        sink.maybe_flush()
        if progress is not None:
            progress(done, volume.deals)
    sink.close()
