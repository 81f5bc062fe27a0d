"""The heart of the demo: one rep's two years of selling, deal by deal in date
order. Outcomes follow from the rep's profile (skill, techniques, discounts) and
from the customer's history; what happens after a sale (check-ins, surveys,
complaints, whether the customer comes back) follows from the rep's care."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from rumbo.demo import tables as t
from rumbo.demo.context import OrgContext, moment
from rumbo.demo.customers import Bag, CustomerState
from rumbo.demo.draw import Weighted, between
from rumbo.demo.feedback import complaint_row, survey_row
from rumbo.demo.profiles import RepProfile
from rumbo.demo.sink import Sink
from rumbo.demo.vocab import ACTIVITY_NOTES, TECHNIQUES

CENT = Decimal("0.01")
FACTORS = [Decimal(100 - pct) / 100 for pct in range(0, 41)]  # price factor per % discount
CYCLE_DAYS = ((3, 25), (7, 40), (14, 60), (21, 90), (30, 150))
SEATS = (3, 12, 40, 120, 400)
SOURCES = ("inbound", "outbound", "referral", "partner", "event", "web")
SOURCE_EFFECT = {"inbound": 0.05, "outbound": -0.06, "referral": 0.1, "partner": 0.02,
                 "event": 0.0, "web": 0.0, "repeat": 0.0}  # fmt: skip
LOSS_REASONS = ("price", "competitor", "no_budget", "no_decision", "timing", "fit", "other")
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
KINDS_B = Weighted(("call", "meeting", "visit", "email"), (30, 25, 15, 30))
KINDS_C = Weighted(("call", "visit", "email"), (40, 20, 40))
TECH_COUNT = Weighted((0, 1, 2), (8, 55, 37))
LINES_B = Weighted((1, 2, 3, 4), (40, 30, 20, 10))
LINES_C = Weighted((1, 2, 3), (70, 25, 5))


class RepDraws:
    """A rep's weighted choices, prepared once per rep."""

    def __init__(self, rep: RepProfile) -> None:
        care = rep.care
        self.techniques = Weighted(range(len(rep.favourites)), rep.favourites)
        self.sources = Weighted(SOURCES, (22, 25, 5 + 20 * care, 8, 6, 12))
        self.loss = Weighted(LOSS_REASONS, (28, 22, 14, 10 + 20 * (1 - care), 10, 6, 4))
        self.loss_churned = Weighted(LOSS_REASONS, (28, 52, 14, 10 + 20 * (1 - care), 10, 6, 4))

    def techniques_for(self, rng: random.Random) -> list[int]:
        count = TECH_COUNT.pick(rng)
        picked: list[int] = []
        for _ in range(count * 3):
            if len(picked) == count:
                break
            index = self.techniques.pick(rng)
            if index not in picked:
                picked.append(index)
        return picked


def _lines(
    ctx: OrgContext, cust: CustomerState, discount: float, created: dt.date, rng: random.Random
) -> list[tuple[int, str, Decimal, Decimal]]:
    """(product id, name, quantity, unit price) in the deal's currency."""
    if cust.business:
        pool, count = ctx.business_products, LINES_B.pick(rng)
    else:
        pool, count = ctx.consumer_products, LINES_C.pick(rng)
    factor = FACTORS[min(40, max(0, round(discount * 100)))]
    rate = ctx.rates.on(cust.currency, created)
    lines: list[tuple[int, str, Decimal, Decimal]] = []
    size = len(pool)
    for _ in range(count * 2):
        if len(lines) == count:
            break
        product_id, spec = pool[int(rng.random() * size)]
        if any(line[0] == product_id for line in lines):
            continue
        if cust.business and spec.per_seat:
            quantity = 1 + int(rng.random() * SEATS[cust.size])
        else:
            quantity = 1 if rng.random() < 0.8 else 2
        price = spec.price * factor
        if rate != 1:
            price /= rate
        lines.append((product_id, spec.name, Decimal(quantity), price.quantize(CENT)))
    return lines


def simulate_rep(
    ctx: OrgContext, sink: Sink, *, rep: RepProfile, member_id: int,
    customers: list[CustomerState], first_deal_id: int, deals: int, rng: random.Random,
) -> int:  # fmt: skip
    """Write `deals` deals of one rep (ids from `first_deal_id`) with their lines,
    techniques, activities, surveys and complaints, then the rep's customers.
    Returns the number of deals written."""
    org, today, start = ctx.org_id, ctx.today, ctx.calendar.start
    care = rep.care
    fresh, happy = Bag(customers), Bag()
    repeat_propensity = 0.15 + 0.55 * care
    stale_chance = 0.004 + 0.03 * (1 - care)
    draws = RepDraws(rep)
    technique_ids = ctx.technique_ids
    deal_rows, line_rows = sink.buffers[t.DEALS], sink.buffers[t.LINES]
    technique_rows = sink.buffers[t.DEAL_TECHNIQUES]
    checkin_chance = 0.05 + 0.85 * care
    deal_id = first_deal_id
    for target in ctx.calendar.sample(rng, deals) if customers else []:
        if happy and rng.random() < repeat_propensity:
            cust = happy.choice(rng)
        elif fresh and rng.random() < 0.85:
            cust = fresh.choice(rng)
        else:
            cust = customers[int(rng.random() * len(customers))]
        existing = cust.bought and not cust.churned
        low, high = CYCLE_DAYS[cust.size] if cust.business else (0, 14)
        created = max(start, target - dt.timedelta(days=between(rng, low, high)))
        is_open = target > today or (
            target < today - dt.timedelta(days=30) and rng.random() < stale_chance
        )
        if is_open and created > today:
            created = max(start, today - dt.timedelta(days=between(rng, 0, 7)))
        techniques = draws.techniques_for(rng)
        if existing and rng.random() < 0.8:
            source = "repeat"
        else:
            source = draws.sources.pick(rng)
        chance = rep.skill + SOURCE_EFFECT[source] + (0.12 if existing else 0.0)
        discount = rep.discount + rng.gauss(0, 0.025) + (0.02 if existing else 0.0)
        # How the customer feels after a sale: mostly the rep's care.
        after_care = 0.4 + 0.6 * care + rng.gauss(0, 0.12)
        if techniques:
            specs = [TECHNIQUES[i] for i in techniques]
            fit = sum(s.business if cust.business else s.consumer for s in specs)
            chance += (fit + sum(rep.effects[i] for i in techniques)) / len(techniques)
            discount += sum(s.discount for s in specs)
            after_care += sum(s.care for s in specs) / len(specs)
        if cust.churned:
            chance *= 0.6
        lines = _lines(ctx, cust, discount, created, rng)
        amount = sum((q * p for _pid, _n, q, p in lines), Decimal(0)).quantize(CENT)
        closed_on: dt.date | None = None
        loss = ""
        if is_open:
            outcome = "open"
            span = max(1, (target - created).days)
            progress = min(0.99, (today - created).days / span)
            stage = OPEN_STAGES[int(progress * 4)] if target > today else "negotiation"
        else:
            outcome = "won" if rng.random() < min(0.92, max(0.02, chance)) else "lost"
            stage, closed_on = "closed", target
            if outcome == "lost":
                loss = (draws.loss_churned if cust.churned else draws.loss).pick(rng)
        base_rate = ctx.rates.on(cust.currency, closed_on or today)
        # Half a cent rounds up, as sales.money.convert does.
        amount_base = (
            amount
            if base_rate == 1
            else (amount * base_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        )
        name = f"{lines[0][1]}{f' +{len(lines) - 1}' if len(lines) > 1 else ''} · {cust.name}"
        deal_rows.append((deal_id, org, "", name[:200], member_id, cust.id, stage, outcome,
                          loss, source, amount, cust.currency, amount_base, created,
                          closed_on))  # fmt: skip
        for product_id, _n, quantity, price in lines:
            line_rows.append((deal_id, product_id, quantity, price))
        for index in techniques:
            technique_rows.append((deal_id, technique_ids[index]))
        if cust.first_day is None or created < cust.first_day:
            cust.first_day = created
        _activities(ctx, sink, rng, member_id, cust, deal_id, created, closed_on or today, care)
        if outcome == "won" and closed_on is not None:
            satisfaction = min(1.0, max(0.0, after_care))
            if rng.random() < checkin_chance:
                day = closed_on + dt.timedelta(days=between(rng, 7, 40))
                if day <= today:
                    issue = satisfaction < 0.35
                    # A check-in catches a problem before it becomes a complaint.
                    satisfaction = min(1.0, satisfaction + (0.2 if issue else 0.05))
                    notes = rng.choice(ACTIVITY_NOTES["checkin"])
                    result = "issue_found" if issue else "done"
                    sink.add(t.ACTIVITIES, (org, member_id, cust.id, deal_id, "checkin", day,
                                            result, notes, ""))  # fmt: skip
            _after_sale(ctx, sink, rng, rep, member_id, cust, deal_id, closed_on, satisfaction)
            if cust.churned:
                happy.remove(cust)
            else:
                cust.bought = True
                happy.add(cust)
                fresh.remove(cust)
        deal_id += 1
    _write_customers(ctx, sink, rng, customers)
    return deal_id - first_deal_id


def _activities(
    ctx: OrgContext, sink: Sink, rng: random.Random, member_id: int, cust: CustomerState,
    deal_id: int, created: dt.date, until: dt.date, care: float,
) -> None:  # fmt: skip
    chance = (0.25 + 0.5 * care) * ctx.activity_rate
    kinds = KINDS_B if cust.business else KINDS_C
    rows = sink.buffers[t.ACTIVITIES]
    span = max(0, (until - created).days)
    for _ in range(4):
        if rng.random() >= chance:
            continue
        kind = kinds.pick(rng)
        day = created + dt.timedelta(days=between(rng, 0, span))
        roll = rng.random()
        if kind == "call" and roll < 0.2:
            outcome = "no_answer"
        else:
            outcome = "follow_up" if roll > 0.88 else "rescheduled" if roll > 0.82 else "done"
        notes = ACTIVITY_NOTES[kind]
        rows.append((ctx.org_id, member_id, cust.id, deal_id, kind, day, outcome,
                     notes[int(rng.random() * len(notes))], ""))  # fmt: skip


def _after_sale(
    ctx: OrgContext, sink: Sink, rng: random.Random, rep: RepProfile, member_id: int,
    cust: CustomerState, deal_id: int, closed_on: dt.date, satisfaction: float,
) -> None:  # fmt: skip
    """Complaints, survey answers and churn, all driven by `satisfaction`."""
    unhappy = 1 - satisfaction
    complained = False
    if rng.random() < 0.004 + 0.2 * unhappy * unhappy:
        row = complaint_row(ctx, rng, rep, member_id, cust.id, deal_id, closed_on)
        if row is not None:
            sink.add(t.COMPLAINTS, row)
            complained = True
    for kind, chance in (("csat", 0.45), ("nps", 0.3)):
        if rng.random() < chance:
            row = survey_row(ctx, rng, kind, member_id, cust.id, deal_id, closed_on,
                             satisfaction, complained)  # fmt: skip
            if row is not None:
                sink.add(t.SURVEYS, row)
    churn = 0.03 + 0.5 * unhappy * unhappy + (0.3 if complained else 0.0)
    cust.churned = rng.random() < churn


def _write_customers(
    ctx: OrgContext, sink: Sink, rng: random.Random, customers: list[CustomerState]
) -> None:
    """Customers go in after their deals are known, to date their creation just
    before their first deal; the sink writes them before the deals anyway."""
    for cust in customers:
        if cust.first_day is not None:
            day = max(ctx.calendar.start - dt.timedelta(days=60),
                      cust.first_day - dt.timedelta(days=between(rng, 0, 45)))  # fmt: skip
        else:
            day = ctx.calendar.start + dt.timedelta(days=between(rng, 0, 700))
        sink.add(t.CUSTOMERS, (*cust.row, moment(ctx, day, rng)))
        for person, title, mail, phone in cust.contacts:
            sink.add(t.CONTACTS, (ctx.org_id, cust.id, person, title, mail, phone, ""))
