"""The organisation's base currency (ADR 0013).

Every amount stored "in the base currency" (a deal's base amount, a list price,
a revenue target, the exchange rates themselves) means nothing once the base
currency is relabelled. So the base currency changes freely only while no
money is recorded; after that, only by a *converting* change: the admin gives
the rate from the old base to the new one (or lets it be derived from the
stored rates) and confirms, and every amount is converted in the same
transaction, with one audit entry.

The tenancy knows no app's amounts: each app that stores some registers a
`MoneyHolder` (how many of its records hold money, how to derive the rate, how
to convert them) from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _

from rumbo.tenancy.models import AuditEntry, Member, Organization

RATE_PLACES = Decimal("0.00000001")
# No two currencies Rumbo offers are a million times apart: beyond, a typo.
MIN_RATE, MAX_RATE = Decimal("0.000001"), Decimal(1_000_000)


@dataclass(frozen=True)
class MoneyHolder:
    """What an app stores in the base currency. `count(org)` says how many of
    its records hold money; `convert(org, old, new, rate)` converts them (the
    organisation already carries the new currency; `rate` is units of the new
    currency per unit of the old) and returns how many it changed;
    `derive_rate(org, old, new)` finds that rate in the app's data, if it can."""

    key: str
    label: Callable[[int], str]
    count: Callable[[Organization], int]
    convert: Callable[[Organization, str, str, Decimal], int]
    derive_rate: Callable[[Organization, str, str], Decimal | None] | None = None


HOLDERS: dict[str, MoneyHolder] = {}


def register_money_holder(holder: MoneyHolder) -> None:
    HOLDERS[holder.key] = holder


@dataclass(frozen=True)
class Conversion:
    """A converting change as the admin asked for it: the rate (new per old;
    None: derive it from the stored rates) and whether they confirmed."""

    rate: Decimal | None
    confirmed: bool


def money_recorded(organization: Organization) -> dict[str, int]:
    """Records holding money, per holder (only those with some)."""
    found = {key: holder.count(organization) for key, holder in HOLDERS.items()}
    return {key: n for key, n in found.items() if n}


def derive_rate(organization: Organization, old: str, new: str) -> Decimal | None:
    for holder in HOLDERS.values():
        rate = holder.derive_rate(organization, old, new) if holder.derive_rate else None
        if rate:
            return rate.quantize(RATE_PLACES)
    return None


def _listing(recorded: dict[str, int]) -> str:
    return ", ".join(HOLDERS[key].label(n) for key, n in recorded.items())


def base_currency_change(
    *, actor: Member, organization: Organization, old: str, conversion: Conversion | None
) -> dict[str, Any] | None:
    """Called by `organization_update` inside its transaction, once the new
    currency is saved. With no money recorded it does nothing (a plain change).
    Otherwise it refuses (ValidationError: the transaction rolls back) unless
    the change converts and is confirmed; then it converts every holder and
    writes the audit entry. Returns what it converted (None: nothing)."""
    new = organization.currency
    recorded = money_recorded(organization)
    if not recorded:
        return None
    if conversion is None or not conversion.confirmed:
        raise ValidationError({"currency": _(
            "Money is already recorded in %(old)s (%(what)s): changing the base currency to "
            "%(new)s must convert every amount. Give the rate (1 %(old)s = ? %(new)s, or leave "
            "it empty to use your stored rates), tick “Convert every amount” and save "
            "again.") % {"old": old, "new": new, "what": _listing(recorded)}})  # fmt: skip
    rate = conversion.rate or derive_rate(organization, old, new)
    if rate is None or rate <= 0:
        raise ValidationError({"conversion_rate": _(
            "There is no stored %(new)s rate to derive it from: give the rate "
            "(1 %(old)s = ? %(new)s).") % {"old": old, "new": new}})  # fmt: skip
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValidationError({"conversion_rate": _(
            "Give a rate between 0.000001 and 1,000,000.")})  # fmt: skip
    try:
        converted = {
            key: holder.convert(organization, old, new, rate) for key, holder in HOLDERS.items()
        }
    except DataError as exc:  # a converted amount too large to store (PostgreSQL)
        raise ValidationError({"conversion_rate": _(
            "At this rate some amounts would exceed the largest amount Rumbo keeps."
        )}) from exc  # fmt: skip
    except IntegrityError as exc:  # a stored rate rescaled so far it rounds to zero
        raise ValidationError({"conversion_rate": _(
            "At this rate some stored exchange rates would round to zero."
        )}) from exc  # fmt: skip
    AuditEntry.objects.create(
        organization=organization, actor=actor, action="convert",
        model=organization._meta.label_lower, object_id=str(organization.pk),
        summary=_("Base currency %(old)s → %(new)s at 1 %(old)s = %(rate)s %(new)s")
        % {"old": old, "new": new, "rate": rate},
        changes={"currency": [old, new], "rate": str(rate),
                 "derived": conversion.rate is None, "converted": converted},
    )  # fmt: skip
    return {"rate": rate, "converted": converted}
