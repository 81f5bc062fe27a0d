"""The metrics computed the slow, obvious way: in Python, straight from the
source rows, following docs/metrics.md — written without the engine's SQL or
formulas, so that a test comparing the two catches a mistake in either."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from rumbo.sales.metrics import target_hours
from rumbo.sales.models import Activity, Complaint, Deal, SurveyResponse
from rumbo.tenancy.models import Member, Organization

Key = tuple[int, date]
ZERO = Decimal(0)


def components(org: Organization) -> dict[Key, dict[str, Decimal]]:
    """Every component per (member, day), from the rows of `org`."""
    out: dict[Key, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    deals = list(Deal.objects.filter(organization=org))
    for d in deals:
        if d.closed_on is None or d.outcome not in ("won", "lost"):
            continue
        row = out[(d.owner_id, d.closed_on)]
        if d.outcome == "won":
            row["won_amount"] += d.amount_base or ZERO
            row["deals_won"] += 1
            if d.created_on is not None:  # no creation date, no cycle (docs/metrics.md)
                row["cycle_days_sum"] += (d.closed_on - d.created_on).days
                row["cycle_deals"] += 1
        else:
            row["deals_lost"] += 1
    first: dict[int, Deal] = {}
    for d in deals:
        if d.outcome != "won" or d.closed_on is None or d.customer_id is None:
            continue
        seen = first.get(d.customer_id)
        if seen is None or (d.closed_on, d.id) < (seen.closed_on, seen.id):  # type: ignore[operator]
            first[d.customer_id] = d
    for d in first.values():
        row = out[(d.owner_id, d.closed_on)]  # type: ignore[index]
        row["first_purchases"] += 1
        row["first_amount"] += d.amount_base or ZERO
    for a in Activity.objects.filter(organization=org):
        out[(a.owner_id, a.date)]["activities"] += 1
    for s in SurveyResponse.objects.filter(organization=org):
        row = out[(s.rep_id, s.responded_on)]
        if s.kind == "csat":
            row["csat_responses"] += 1
            row["csat_score_sum"] += s.score
            row["csat_positive"] += s.score >= 4
        else:
            row["nps_responses"] += 1
            row["nps_promoters"] += s.score >= 9
            row["nps_detractors"] += s.score <= 6
    tz = zoneinfo.ZoneInfo(org.time_zone)
    targets = target_hours()
    for c in Complaint.objects.filter(organization=org):
        row = out[(c.rep_id, timezone.localtime(c.opened_at, tz).date())]
        row["complaints_opened"] += 1
        if c.status == "resolved" and c.resolved_at is not None:
            hours = Decimal((c.resolved_at - c.opened_at).total_seconds()) / 3600
            row["complaints_resolved"] += 1
            row["resolution_hours_sum"] += hours
            row["complaints_in_sla"] += hours <= targets[c.severity]
    from rumbo.care.models import FollowUp

    followed: set[int] = set()
    for x in FollowUp.objects.filter(organization=org, status="done"):
        row = out[(x.owner_id, x.done_on)]  # type: ignore[index]
        row["followups_done"] += 1
        row["followups_on_time"] += x.done_on <= x.due_on  # type: ignore[operator]
        if x.deal_id is not None:
            followed.add(x.deal_id)
    for d in deals:
        if d.outcome == "won" and d.closed_on is not None and d.pk in followed:
            out[(d.owner_id, d.closed_on)]["won_deals_followed"] += 1
    return {k: dict(v) for k, v in out.items()}


def _div(a: Decimal, b: Decimal, scale: int = 1) -> Decimal | None:
    return None if not b else Decimal(a) * scale / Decimal(b)


# Each additive metric, from the totals of its group (docs/metrics.md).
FORMULAS: dict[str, Callable[[dict[str, Decimal]], Decimal | None]] = {
    "revenue": lambda t: t["won_amount"],
    "deals_won": lambda t: t["deals_won"],
    "deals_lost": lambda t: t["deals_lost"],
    "win_rate": lambda t: _div(t["deals_won"], t["deals_won"] + t["deals_lost"], 100),
    "avg_deal_size": lambda t: _div(t["won_amount"], t["deals_won"]),
    "sales_cycle_days": lambda t: _div(t["cycle_days_sum"], t["cycle_deals"]),
    "activities": lambda t: t["activities"],
    "new_customers": lambda t: t["first_purchases"],
    "repeat_rate": lambda t: _div(t["deals_won"] - t["first_purchases"], t["deals_won"], 100),
    "repeat_revenue_share": lambda t: _div(t["won_amount"] - t["first_amount"],
                                           t["won_amount"], 100),
    "csat": lambda t: _div(t["csat_positive"], t["csat_responses"], 100),
    "avg_satisfaction": lambda t: _div(t["csat_score_sum"], t["csat_responses"]),
    "nps": lambda t: _div(t["nps_promoters"] - t["nps_detractors"], t["nps_responses"], 100),
    "complaint_rate": lambda t: _div(t["complaints_opened"], t["deals_won"], 100),
    "resolution_hours": lambda t: _div(t["resolution_hours_sum"], t["complaints_resolved"]),
    "sla_met": lambda t: _div(t["complaints_in_sla"], t["complaints_resolved"], 100),
    "followups_on_time": lambda t: _div(t["followups_on_time"], t["followups_done"], 100),
    "followups_done": lambda t: t["followups_done"],
    "followup_coverage": lambda t: _div(t["won_deals_followed"], t["deals_won"], 100),
}  # fmt: skip


@dataclass
class Ask:
    """One evaluation to check: members in scope (already cut to what the actor
    sees), the period, and the grouping."""

    members: set[int]
    start: date
    end: date
    group_by: str | None


def group_key(group_by: str | None, member: Member, day: date) -> Any:
    if group_by == "rep":
        return member.pk
    if group_by == "team":
        return member.team_id
    if group_by == "month":
        return day.replace(day=1)
    if group_by == "week":
        return day - timedelta(days=day.weekday())
    return None


def additive(metric: str, comps: dict[Key, dict[str, Decimal]], ask: Ask,
             members: dict[int, Member]) -> dict[Any, Decimal | None]:  # fmt: skip
    totals: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (member_id, day), row in comps.items():
        if member_id in ask.members and ask.start <= day <= ask.end:
            into = totals[group_key(ask.group_by, members[member_id], day)]
            for name, value in row.items():
                into[name] += value
    if ask.group_by is None:
        totals[None]  # noqa: B018 — no grouping always answers one row
    return {k: FORMULAS[metric](defaultdict(Decimal, t)) for k, t in totals.items()}


def _periods(ask: Ask) -> Iterable[tuple[Any, date, date]]:
    from rumbo.metrics.evaluation import buckets

    for bucket in buckets(ask.start, ask.end, ask.group_by):  # type: ignore[arg-type]
        yield bucket.key, bucket.start, bucket.end


def pipeline(org: Organization, ask: Ask, members: dict[int, Member]) -> dict[Any, Decimal]:
    out: dict[Any, Decimal] = {}
    deals = [d for d in Deal.objects.filter(organization=org) if d.owner_id in ask.members]
    for key, _start, end in _periods(ask):
        for d in deals:
            if d.created_on <= end and (d.closed_on is None or d.closed_on > end):
                group = key if ask.group_by in ("week", "month", None) else group_key(
                    ask.group_by, members[d.owner_id], end)  # fmt: skip
                out[group] = out.get(group, ZERO) + (d.amount_base or ZERO)
        if ask.group_by in ("week", "month", None):
            out.setdefault(key, ZERO)
    return out


def retention(org: Organization, ask: Ask, members: dict[int, Member]) -> dict[Any, Decimal | None]:
    from rumbo.metrics.evaluation import Bucket

    won = [d for d in Deal.objects.filter(organization=org, outcome="won")
           if d.owner_id in ask.members and d.customer_id is not None]  # fmt: skip
    out: dict[Any, Decimal | None] = {}
    for key, start, end in _periods(ask):
        before_start, before_end = Bucket(key, start, end).previous()
        by_rep = ask.group_by in ("rep", "team")

        def grp(d: Deal, key: Any = key, by_rep: bool = by_rep) -> Any:
            return group_key(ask.group_by, members[d.owner_id], d.closed_on) if by_rep else key  # type: ignore[arg-type]

        before = {(grp(d), d.customer_id) for d in won
                  if before_start <= d.closed_on <= before_end}  # type: ignore[operator]  # fmt: skip
        now = {(grp(d), d.customer_id) for d in won if start <= d.closed_on <= end}  # type: ignore[operator]
        groups = {g for g, _c in before}
        for g in groups:
            base = {c for gg, c in before if gg == g}
            kept = {c for c in base if (g, c) in now}
            out[g] = Decimal(100) * len(kept) / len(base)
        if not by_rep and key not in out:
            out[key] = None
    return out


def _purchases(org: Organization) -> dict[int, list[Deal]]:
    """Each customer's won deals by close date, then id (care's repeat metrics)."""
    out: dict[int, list[Deal]] = defaultdict(list)
    for d in Deal.objects.filter(organization=org, outcome="won"):
        if d.customer_id is not None and d.closed_on is not None:
            out[d.customer_id].append(d)
    for deals in out.values():
        deals.sort(key=lambda d: (d.closed_on, d.id))
    return out


def _repeat(org: Organization, ask: Ask, members: dict[int, Member], pick: Any) -> dict[Any, Any]:
    """`pick(deals)` → (the deal counted, its value) or None, per customer; the
    mean of the values per group (each bucket always answers when not by rep/team)."""
    out: dict[Any, Decimal | None] = {}
    chosen = [x for x in (pick(deals) for deals in _purchases(org).values()) if x is not None]
    for key, start, end in _periods(ask):
        groups: dict[Any, list[Decimal]] = defaultdict(list)
        for deal, value in chosen:
            if deal.owner_id in ask.members and start <= deal.closed_on <= end:
                by_rep = ask.group_by in ("rep", "team")
                group = group_key(ask.group_by, members[deal.owner_id], deal.closed_on)
                groups[group if by_rep else key].append(Decimal(value))
        for group, values in groups.items():
            out[group] = sum(values, ZERO) / len(values)
        if ask.group_by not in ("rep", "team"):
            out.setdefault(key, None)
    return out


def second_purchase_rate(org: Organization, ask: Ask, members: dict[int, Member]) -> Any:
    def pick(deals: list[Deal]) -> Any:
        first = deals[0]
        again = len(deals) > 1 and (deals[1].closed_on - first.closed_on).days <= 90  # type: ignore[operator]
        return first, 100 if again else 0

    return _repeat(org, ask, members, pick)


def time_to_second_purchase(org: Organization, ask: Ask, members: dict[int, Member]) -> Any:
    def pick(deals: list[Deal]) -> Any:
        if len(deals) < 2:
            return None
        return deals[1], (deals[1].closed_on - deals[0].closed_on).days  # type: ignore[operator]

    return _repeat(org, ask, members, pick)


# Care's metrics computed from the deals, not the rollups.
COMPUTED = {"second_purchase_rate": second_purchase_rate,
            "time_to_second_purchase": time_to_second_purchase}  # fmt: skip
