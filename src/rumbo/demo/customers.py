"""Demo customers: businesses (segment, industry, size band) and consumers (age,
gender, income), mostly in the owning team's Spanish regions, some abroad
(paying in USD or GBP). Each carries the state the deal simulation needs."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from rumbo.demo.draw import Weighted, between
from rumbo.demo.profiles import person_name
from rumbo.demo.vocab import (
    ABROAD,
    COMPANY_SUFFIX,
    COMPANY_TRADES,
    COMPANY_WORDS,
    COUNTRY_CURRENCY,
    INDUSTRIES,
    JOB_TITLES,
    REGIONS,
)

SIZE_BANDS = ("1-9", "10-49", "50-249", "250-999", "1000+")
SIZE_WEIGHTS = (30, 32, 22, 11, 5)
SEGMENT_BY_SIZE = ("Small business", "Small business", "Mid-market", "Enterprise", "Enterprise")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_WEIGHTS = (10, 22, 24, 20, 14, 10)
GENDERS = ("female", "male", "other", "undisclosed")
GENDER_WEIGHTS = (48, 47, 1, 4)
INCOMES = ("low", "middle", "upper_middle", "high")
INCOME_WEIGHTS = (20, 42, 26, 12)
SEGMENT_BY_INCOME = ("Value", "Standard", "Standard", "Premium")
ABROAD_PICK = Weighted(ABROAD, [place[3] for place in ABROAD])
SIZE_PICK = Weighted(range(5), SIZE_WEIGHTS)
INCOME_PICK = Weighted(range(4), INCOME_WEIGHTS)
AGE_PICK = Weighted(AGE_BANDS, AGE_WEIGHTS)
GENDER_PICK = Weighted(GENDERS, GENDER_WEIGHTS)
REGION_KEYS = tuple(REGIONS)
REGION_NAMES = {key: list(regions) for key, regions in REGIONS.items()}


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class CustomerState:
    """One customer as the simulation sees it, plus its row for the database."""

    __slots__ = ("id", "business", "size", "currency", "name", "row", "bought", "churned",
                 "first_day", "contacts")  # fmt: skip

    def __init__(self, cid: int, business: bool, size: int, currency: str, name: str) -> None:
        self.id = cid
        self.business = business
        self.size = size  # index into SIZE_BANDS; 0 for consumers
        self.currency = currency
        self.name = name
        self.row: tuple[object, ...] = ()
        self.bought = False
        self.churned = False
        self.first_day: dt.date | None = None
        self.contacts: list[tuple[str, str, str, str]] = []


def unique_name(name: str, taken: set[str] | None, *others: str) -> str:
    """`name`, or the first of `others` (then `name 2`, `name 3`, …) no other
    customer of the organisation has: two customers of one name make an import
    that names one of them ambiguous. Draws nothing from the random stream, so
    the rest of the demo stays as it was."""
    if taken is None:
        return name
    for candidate in (name, *others):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{name} {n}" in taken:
        n += 1
    taken.add(f"{name} {n}")
    return f"{name} {n}"


def make_customer(
    rng: random.Random, *, cid: int, org_id: int, owner_id: int, region_key: str,
    abroad_share: float, business_share: float, contacts: int, domain: str,
    taken: set[str] | None = None,
) -> CustomerState:  # fmt: skip
    """A customer row (without `created_at`, known once its deals are) and state.
    `taken`: the names the organisation's customers already have (the new one
    is added), so that no two share one."""
    if rng.random() < abroad_share:
        country, region, city, _w = ABROAD_PICK.pick(rng)
    else:
        regions = REGIONS[region_key]
        region = rng.choice(REGION_NAMES[region_key])
        country, city = "ES", rng.choice(regions[region])
    english = country in ("GB", "US")
    currency = COUNTRY_CURRENCY.get(country, "EUR")
    business = rng.random() < business_share
    phone = f"+{between(rng, 30, 49)} {between(rng, 600, 999)} {between(rng, 100000, 999999)}"
    if business:
        size = SIZE_PICK.pick(rng)
        suffix = rng.choice(COMPANY_SUFFIX[country])
        words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TRADES)}"
        name = unique_name(f"{words} {suffix}", taken, f"{words} {city} {suffix}")
        slug = ascii_slug(name.rsplit(" ", 1)[0])
        email = f"info@{slug}{cid % 1000}.{domain}"
        fields = (
            SEGMENT_BY_SIZE[size], rng.choice(INDUSTRIES), SIZE_BANDS[size], country, region,
            city, "", "", "",
        )  # fmt: skip
        state = CustomerState(cid, True, size, currency, name)
        for _ in range(between(rng, 1, contacts) if contacts else 0):
            person = person_name(rng, english)
            mail = f"{ascii_slug(person.split()[0])}.{cid}@{slug}.{domain}"
            state.contacts.append((person, rng.choice(JOB_TITLES), mail, phone))
    else:
        name = person_name(rng, english)
        first, _space, rest = name.partition(" ")
        # The initial follows the names drawn so far, not the id: ids come from
        # the database's sequence, which PostgreSQL does not roll back, and the
        # demo must come out the same every time.
        initial = chr(65 + len(taken or ()) % 26)
        name = unique_name(name, taken, f"{first} {initial}. {rest}")
        income = INCOME_PICK.pick(rng)
        email = f"{ascii_slug(name.split()[0])}.{cid}@mail.{domain}"
        fields = (
            SEGMENT_BY_INCOME[income], "", "", country, region, city,
            AGE_PICK.pick(rng), GENDER_PICK.pick(rng), INCOMES[income],
        )  # fmt: skip
        state = CustomerState(cid, False, 0, currency, name)
    kind = "business" if business else "consumer"
    state.row = (cid, org_id, "", name, kind, owner_id, *fields, email, phone)
    return state


class Bag:
    """A set of customers with O(1) add, remove and random choice."""

    __slots__ = ("items", "pos")

    def __init__(self, items: list[CustomerState] | None = None) -> None:
        self.items: list[CustomerState] = list(items or [])
        self.pos = {c.id: i for i, c in enumerate(self.items)}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, customer: CustomerState) -> None:
        if customer.id not in self.pos:
            self.pos[customer.id] = len(self.items)
            self.items.append(customer)

    def remove(self, customer: CustomerState) -> None:
        index = self.pos.pop(customer.id, None)
        if index is None:
            return
        last = self.items.pop()
        if last is not customer:
            self.items[index] = last
            self.pos[last.id] = index

    def choice(self, rng: random.Random) -> CustomerState:
        return self.items[int(rng.random() * len(self.items))]
