"""Money in the organisation's base currency, kept true to the exchange rates.

Which rate applies to a deal (ADR 0013): the latest rate of its currency dated
on or before its *valuation day* — the close date for a won or lost deal, today
(in the organisation's time zone) for an open one. So a closed deal keeps the
rate of the day it closed, and an open deal's base amount follows the latest
rate, as its pipeline value should.

`Deal.amount_base` stores that conversion. Whenever a rate is added, corrected
or deleted — page, API or import — `reconvert` recomputes, with one UPDATE per
currency, every deal whose valuation day the rate can reach, and tells the
metrics engine which (rep, day) keys of won deals changed, so that the rollups
(revenue, average deal size, first purchases) follow through the same refresh
path every other write uses. The valuation of a *past* period's open pipeline
at that period's rates is `value_on`."""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rumbo.sales.choices import Outcome
from rumbo.sales.models import Deal, ExchangeRate
from rumbo.sales.signals import facts_changed
from rumbo.tenancy.models import Member, Organization
from rumbo.tenancy.services import figures_changed, record_delete, record_save

CENT = Decimal("0.01")


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` × `rate` in whole cents, half a cent rounded up: the rounding the
    database's ROUND gives the set-based reconversion, so both agree."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def today_for(organization: Organization) -> date:
    """Today in the organisation's time zone: an open deal's valuation day."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))


def rate_on(*, organization: Organization, currency: str, on: date) -> Decimal | None:
    """Units of base currency per unit of `currency`: the latest rate on or before `on`."""
    if currency == organization.currency:
        return Decimal(1)
    return (
        ExchangeRate.objects.filter(organization=organization, currency=currency, date__lte=on)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )


def to_base(*, organization: Organization, amount: Decimal, currency: str, on: date) -> Decimal:
    rate = rate_on(organization=organization, currency=currency, on=on)
    if rate is None:
        raise ValidationError(
            {"currency": _("There is no %(currency)s exchange rate on or before %(date)s.")
             % {"currency": currency, "date": on.isoformat()}}
        )  # fmt: skip
    return convert(amount, rate)


def deal_base_amount(*, organization: Organization, deal: Deal) -> Decimal:
    """The base amount a deal stores: converted on its valuation day."""
    on = deal.closed_on or today_for(organization)
    return to_base(organization=organization, amount=deal.amount, currency=deal.currency, on=on)


# A base amount is at most 99,999,999,999,999.99 (`sales.models.deals.money_field`).
MAX_BASE = Decimal("1e14")


def _too_large() -> str:
    return _("At this rate some amounts in the base currency would exceed the largest "
             "amount Rumbo keeps (99,999,999,999,999.99).")  # fmt: skip


# Conversions and rate writes take turns.

RATE_LOCK = 4013  # first half of the advisory lock key; the organisation id is the second


def lock_rates(*, organization_id: int, exclusive: bool) -> None:
    """In the caller's transaction on PostgreSQL: a rate write (exclusive) and
    the conversion of a deal being saved (shared) of one organisation take
    turns, so a deal saved while a rate changes is converted either before the
    reconversion (which then covers it) or after it (reading the new rate) —
    never with the old rate after the reconversion passed it by. SQLite runs
    one writing transaction at a time, which already gives this."""
    if connection.vendor == "postgresql":
        lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {lock}(%s, %s)", [RATE_LOCK, organization_id])


# Set-based reconversion.


def _rate_at(day: object) -> Subquery:
    """The rate of the outer deal's currency on `day` (an expression over the deal)."""
    rates = ExchangeRate.objects.filter(
        organization_id=OuterRef("organization_id"), currency=OuterRef("currency"), date__lte=day
    )
    return Subquery(rates.order_by("-date").values("rate")[:1])


def _valuation_day(today: date) -> Coalesce:
    """The outer deal's close date, else `today` (inside `_rate_at`'s subquery)."""
    return Coalesce(OuterRef("closed_on"), Value(today))


def _converted(organization: Organization, currency: str, today: date) -> Any:
    """The base amount of a deal of `currency`, as an SQL expression."""
    if currency == organization.currency:
        return F("amount")
    return Round(F("amount") * _rate_at(_valuation_day(today)), 2)


# A window holding at most this many rates is reconverted piece by piece, one
# UPDATE at a constant rate per piece (no subquery per row); a wider one (an
# imported history) by one UPDATE looking up each deal's rate.
PIECES_MAX = 12


def reconvert(
    *,
    organization: Organization,
    changes: Mapping[str, Collection[date] | None],
    notify: bool = True,
) -> int:
    """Recompute the base amount of every deal a rate change can reach:
    `changes` maps a currency to the dates of the rates that were added, moved
    or deleted (None: all of its deals). Those dates reach the deals valued from
    the earliest of them up to the next stored rate after the latest. Set-based:
    one UPDATE per piece of that window (or one for the window), writing only
    the rows whose amount differs. Refuses (ValidationError: the caller's
    transaction rolls back) when a deal would be left without a rate.
    `notify=False` queues no rollup keys (the caller rebuilds the rollups).
    Returns the deals changed."""
    today = today_for(organization)
    changed = 0
    keys: set[tuple[Any, Any]] = set()
    with transaction.atomic():
        for currency, dates in sorted(changes.items()):
            deals: QuerySet[Deal] = Deal.objects.filter(
                organization=organization, currency=currency, amount_base__isnull=False
            )
            updates: list[tuple[QuerySet[Deal], Any]]
            if currency == organization.currency:
                updates = [(deals, F("amount"))]
            elif dates is None:
                updates = [(deals, _converted(organization, currency, today))]
            else:
                updates = _window(organization, deals, currency, sorted(dates), today)
            for chosen, target in updates:
                differ = chosen.exclude(amount_base=target)
                if notify:
                    won = differ.filter(outcome=Outcome.WON)
                    keys |= set(won.values_list("owner_id", "closed_on").distinct().order_by())
                if differ.annotate(new_base=target).filter(new_base__gte=MAX_BASE).exists():
                    raise ValidationError(_too_large())  # a column it cannot hold: refuse
                changed += differ.update(amount_base=target)
        if keys:
            # The refresh path of every write: queue the keys, refresh after commit.
            facts_changed.send(sender=Deal, organization_id=organization.pk, keys=keys)
        if changed:
            # Open deals are read from source (pipeline): cached figures are stale too.
            figures_changed(organization_id=organization.pk)
    return changed


def _valued_within(low: date, high: date | None, today: date) -> Q:
    """Deals whose valuation day falls in [low, high)."""
    closed = Q(closed_on__gte=low) & (Q(closed_on__lt=high) if high else Q())
    if low <= today and (high is None or today < high):  # today's rate: the open deals
        return closed | Q(closed_on__isnull=True)
    return closed


def _window(
    organization: Organization, deals: QuerySet[Deal], currency: str, dates: list[date],
    today: date,
) -> list[tuple[QuerySet[Deal], Any]]:  # fmt: skip
    """(deals, new base amount) pairs covering the window the changed `dates` reach."""
    rates = ExchangeRate.objects.filter(organization=organization, currency=currency)
    low = dates[0]
    high = rates.filter(date__gt=dates[-1]).order_by("date").values_list("date", flat=True).first()
    inside = rates.filter(date__gt=low).filter(Q(date__lt=high) if high else Q())
    if inside.count() >= PIECES_MAX:
        chosen = deals.filter(_valued_within(low, high, today))
        _refuse_uncovered(chosen, currency, today)
        return [(chosen, _converted(organization, currency, today))]
    first = rates.filter(date__lte=low).order_by("-date").values_list("rate", flat=True).first()
    bounds = [(low, first), *inside.order_by("date").values_list("date", "rate")]
    pieces = []
    for i, (start, rate) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else high
        chosen = deals.filter(_valued_within(start, end, today))
        if rate is None:
            _refuse_uncovered(chosen, currency, today)
            continue
        pieces.append((chosen, Round(F("amount") * Value(rate), 2)))
    return pieces


def _refuse_uncovered(deals: QuerySet[Deal], currency: str, today: date) -> None:
    uncovered = deals.annotate(rate=_rate_at(_valuation_day(today))).filter(rate__isnull=True)
    count = uncovered.count()
    if count:
        first = uncovered.order_by("closed_on").values_list("closed_on", flat=True).first()
        raise ValidationError(
            ngettext(
                "%(count)d deal in %(currency)s would have no exchange rate on or before its "
                "date (the earliest: %(date)s). Keep a rate that covers it.",
                "%(count)d deals in %(currency)s would have no exchange rate on or before "
                "their dates (the earliest: %(date)s). Keep a rate that covers them.",
                count,
            )
            % {"count": count, "currency": currency, "date": (first or today).isoformat()}
        )


# Writes of rates: each reconverts what it reaches.


def exchange_rate_save(*, actor: Member, rate: ExchangeRate, creating: bool) -> ExchangeRate:
    """Save a rate and reconvert the deals it applies to (and, for a correction
    that moved it, those the old one applied to), in one transaction."""
    if rate.currency and rate.currency == actor.organization.currency:
        raise ValidationError(
            {"currency": _("%(currency)s is the base currency: one unit is always worth one.")
             % {"currency": rate.currency}}
        )  # fmt: skip
    with transaction.atomic():
        lock_rates(organization_id=actor.organization_id, exclusive=True)
        before = None
        if not creating:
            before = ExchangeRate.objects.filter(pk=rate.pk).values_list("currency", "date").first()
        record_save(actor=actor, obj=rate, creating=creating)
        changes: dict[str, set[date] | None] = {rate.currency: {rate.date}}
        if before is not None:
            old_currency, old_date = before
            changes.setdefault(old_currency, set()).add(old_date)  # type: ignore[union-attr]
        reconvert(organization=actor.organization, changes=changes)
    return rate


def exchange_rate_delete(*, actor: Member, obj: ExchangeRate) -> None:
    """Delete a rate and reconvert the deals it applied to (now at the rate
    before it); refused when some deal would be left with no rate at all."""
    with transaction.atomic():
        lock_rates(organization_id=actor.organization_id, exclusive=True)
        currency, day = obj.currency, obj.date
        record_delete(actor=actor, obj=obj)
        reconvert(organization=actor.organization, changes={currency: [day]})


def rates_imported(*, organization: Organization, changes: Mapping[str, list[date]]) -> int:
    """After an import of rates: reconvert what each currency's imported dates
    (the earliest and the latest suffice) reach, in the import's transaction."""
    mine = {c: d for c, d in changes.items() if c != organization.currency}
    if not mine:
        return 0
    lock_rates(organization_id=organization.pk, exclusive=True)
    return reconvert(organization=organization, changes=mine)


def follow_today() -> int:
    """Open deals follow the rate current today: a rate dated in advance takes
    effect when its day comes. Run hourly (`sales.tasks`); it looks only at the
    organisations with a rate dated from a week ago (a worker down for days
    catches up) to tomorrow (any time zone), and writes only the deals whose
    base amount differs. Returns the deals changed."""
    now = timezone.now().date()
    recent = ExchangeRate.objects.filter(
        date__gte=now - timedelta(days=7), date__lte=now + timedelta(days=1)
    )
    changed = 0
    for org_id in sorted(set(recent.values_list("organization_id", flat=True))):
        organization = Organization.objects.get(pk=org_id)
        currencies = set(recent.filter(organization_id=org_id).values_list("currency", flat=True))
        today = today_for(organization)
        changes = {c: [today] for c in currencies if c != organization.currency}
        if changes:
            changed += reconvert(organization=organization, changes=changes)
    return changed


# Valuing the pipeline of a past period.


def value_on(organization: Organization, day: date) -> Case:
    """A deal's amount in base currency at the rates of `day` (an expression):
    the open pipeline at the end of a past period is valued at that period's
    rates. For today or later it is the stored base amount (today's rate); so
    it is for a deal of the base currency, one with no value yet, or one whose
    currency had no rate as early as `day`."""
    if day >= today_for(organization):
        return Case(default=F("amount_base"))
    at_day = Round(F("amount") * _rate_at(Value(day)), 2)
    return Case(
        When(Q(currency=organization.currency) | Q(amount_base__isnull=True),
             then=F("amount_base")),
        default=Coalesce(at_day, F("amount_base")),
    )  # fmt: skip
