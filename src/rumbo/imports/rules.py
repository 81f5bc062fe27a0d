"""The rules across fields of each import KIND: the same ones the sales models'
`clean()` and the sales services enforce (close dates, owners, amounts in the
base currency), applied to a parsed row before it is staged."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from rumbo.sales import choices
from rumbo.sales.models import ExchangeRate

CENT = Decimal("0.01")
ONE = Decimal(1)


class FieldBad(Exception):
    """A rule across fields failed; `field` names the column to blame."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def customer_rules(row: dict[str, Any], ctx: Any) -> None:
    if row.get("kind") is None:
        row["kind"] = choices.CustomerKind.BUSINESS


def _owner_from_customer(row: dict[str, Any], ctx: Any, name: str) -> None:
    """Like the sales services: a response or complaint counts for the deal's
    owner, else the customer's owner, unless the file names the rep."""
    if row.get(name) is not None:
        return
    if row.get("deal_id") is not None:
        row[name] = ctx.resolver.index("deal").extra[row["deal_id"]][0]
    elif row.get("customer_id") is not None:
        row[name] = ctx.resolver.index("customer").extra[row["customer_id"]][0]
    if row.get(name) is None:
        raise FieldBad(name, _("Name the rep: neither the deal nor the customer has an owner."))


def _deal_of_customer(row: dict[str, Any], ctx: Any) -> None:
    if row.get("deal_id") is not None:
        deal_customer = ctx.resolver.index("deal").extra[row["deal_id"]][1]
        if deal_customer not in (None, row.get("customer_id")):
            raise FieldBad("deal_id", _("This deal belongs to another customer."))


def rate_finder(organization: Any) -> Callable[[str, dt.date], Decimal | None]:
    """`rate_on` of the sales services over rates loaded once: the latest rate on
    or before a date, 1 for the base currency."""
    table: dict[str, tuple[list[dt.date], list[Decimal]]] = {}
    for currency, date, rate in (
        ExchangeRate.objects.filter(organization=organization)
        .order_by("currency", "date")
        .values_list("currency", "date", "rate")
    ):
        dates, rates = table.setdefault(currency, ([], []))
        dates.append(date)
        rates.append(rate)

    def rate_on(currency: str, on: dt.date) -> Decimal | None:
        if currency == organization.currency:
            return Decimal(1)
        if currency not in table:
            return None
        dates, rates = table[currency]
        i = bisect.bisect_right(dates, on)
        return rates[i - 1] if i else None

    return rate_on


def deal_rules(row: dict[str, Any], ctx: Any) -> None:
    if not row.get("name"):
        if not row.get("external_id"):
            raise FieldBad("name", _("A deal needs a name, or an id to name it by."))
        row["name"] = row["external_id"]
    staged = row.pop("stage_word", None)
    outcome = row.pop("outcome_word", None)
    stage, stage_outcome = staged if staged else (choices.Stage.PROSPECTING, "open")
    outcome = outcome or stage_outcome
    if not outcome:
        raise FieldBad("stage_word", _("Say whether this closed deal was won or lost (an outcome "
                                       "column, or a stage such as Closed won)."))  # fmt: skip
    closed = outcome in ("won", "lost")
    row["outcome"] = outcome
    row["stage"] = choices.Stage.CLOSED if closed else stage
    if not closed:
        # CRMs keep an expected close date on open deals; Rumbo stores none yet.
        row["closed_on"] = None
    if outcome != "lost":
        row["loss_reason"] = ""
    if closed and row.get("closed_on") is None:
        raise FieldBad("closed_on", _("A won or lost deal needs a close date."))
    if closed and row.get("customer_id") is None:
        raise FieldBad("customer_id", _("A won or lost deal needs a customer."))
    # No creation date stays empty (ADR 0015): the close date in its place would
    # make the sales cycle read 0 days; that metric leaves such deals out.
    row["created_on"] = row.get("created_on")
    if row["closed_on"] and row["created_on"] and row["closed_on"] < row["created_on"]:
        raise FieldBad("closed_on", _("The close date cannot be before the creation date."))
    if row.get("line_product") is not None:
        _line(row, ctx)
    if row.get("amount") is None:
        if closed:
            raise FieldBad("amount", _("A value is required."))
        # An open deal with no value yet: amount 0 (it counts as zero in the
        # pipeline) and no base amount, which marks it (Deal.has_value): no new
        # column, and every sum over the deals stays as it is.
        row["currency"] = row.get("currency") or row.pop("_cell_currency", None) or ctx.currency
        row.pop("_cell_currency", None)
        row["amount"], row["amount_base"] = Decimal(0), None
        return
    amount = row["amount"]
    if amount < 0:
        raise FieldBad("amount", _("The amount cannot be negative."))
    currency = row.get("currency") or row.pop("_cell_currency", None) or ctx.currency
    row.pop("_cell_currency", None)
    row["currency"] = currency
    on = row.get("closed_on") or ctx.today
    rate = ctx.rate_on(currency, on)
    if rate is None:
        raise FieldBad("currency", _("There is no %(currency)s exchange rate on or before "
                                     "%(date)s.") % {"currency": currency, "date": on})  # fmt: skip
    if rate == 1:  # the organisation's currency (most rows): nothing to convert
        row["amount"] = row["amount_base"] = amount.quantize(CENT)
    else:
        # Half a cent rounds up, as sales.money.convert and the database do.
        row["amount_base"] = (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        row["amount"] = amount.quantize(CENT)
    if "_line" in row:  # lines.collapse needs the rate to convert a folded deal's total
        row["_line_rate"] = rate


def _line(row: dict[str, Any], ctx: Any) -> None:
    """A deal line: quantity × price (the product's list price when the file gives
    none). When the row also states the deal's amount, the file's amount is the
    truth: the line is priced so that its total is that amount (`priced_lines`);
    `lines.collapse` checks deals of several rows against their lines' total."""
    product = row.pop("line_product")
    quantity = row.pop("line_quantity", None) or ONE
    price = row.pop("line_unit_price", None)
    if price is None:
        price = ctx.resolver.index("product").extra[product][0]
    if quantity <= 0:
        raise FieldBad("line_quantity", _("Each line needs a positive quantity."))
    if price < 0:
        raise FieldBad("line_unit_price", _("A price cannot be negative."))
    total = (quantity * price).quantize(CENT)
    stated = row.get("amount")
    if stated is None:
        row["amount"] = total
        row["_line"] = [(product, quantity, price, price, total, None)]
        return
    if stated < 0:
        raise FieldBad("amount", _("The amount cannot be negative."))
    stated = stated.quantize(CENT)
    if quantity == 1:  # most rows (one per deal): one unit at the amount
        row["_line"] = ((product, quantity, stated, price, total, stated),)
        return
    row["_line"] = [
        (product, q, p, price, total, stated) for q, p in priced_lines(stated, quantity)
    ]


def priced_lines(amount: Decimal, quantity: Decimal) -> list[tuple[Decimal, Decimal]]:
    """(quantity, unit price) of lines whose totals (rounded to the cent, as
    `DealLine.total`) add up to `amount` exactly. One line when a price to the cent
    gets there; else, as an invoice does with a remainder, the quantity less one at
    the price rounded down and one unit at what is left."""
    if quantity == 1:  # most rows: one unit at the amount
        return [(quantity, amount)]
    price = (amount / quantity).quantize(CENT)
    for candidate in (price, price - CENT, price + CENT):
        if candidate >= 0 and (quantity * candidate).quantize(CENT) == amount:
            return [(quantity, candidate)]
    if quantity <= 1:  # not reached: below one unit a cent of price moves the total less
        return [(quantity, price)]
    low = (amount / quantity).quantize(CENT, rounding=ROUND_DOWN)
    rest = amount - ((quantity - 1) * low).quantize(CENT)
    return [(quantity - 1, low), (Decimal(1), rest)]


def activity_rules(row: dict[str, Any], ctx: Any) -> None:
    _deal_of_customer(row, ctx)
    if row.get("owner_id") is None:
        _owner_from_customer(row, ctx, "owner_id")
    if row.get("outcome") is None:
        row["outcome"] = choices.ActivityOutcome.DONE


def survey_rules(row: dict[str, Any], ctx: Any) -> None:
    if row.get("kind") is None:
        row["kind"] = ctx.survey_kind
    low, high = (1, 5) if row["kind"] == choices.SurveyKind.CSAT else (0, 10)
    if not low <= row["score"] <= high:
        raise FieldBad("score", _("Enter a score from %(low)s to %(high)s.")
                       % {"low": low, "high": high})  # fmt: skip
    _deal_of_customer(row, ctx)
    _owner_from_customer(row, ctx, "rep_id")
    if row.get("channel") is None:
        row["channel"] = choices.SurveyChannel.EMAIL


def complaint_rules(row: dict[str, Any], ctx: Any) -> None:
    _deal_of_customer(row, ctx)
    _owner_from_customer(row, ctx, "rep_id")
    if row.get("status") is None:
        row["status"] = "resolved" if row.get("resolved_at") else "open"
    if row.get("severity") is None:
        row["severity"] = choices.Severity.MEDIUM
    resolved = row["status"] == choices.ComplaintStatus.RESOLVED
    if resolved and not row.get("resolved_at"):
        raise FieldBad("resolved_at", _("A resolved complaint needs its resolution time."))
    if not resolved and row.get("resolved_at"):
        raise FieldBad("status", _("A complaint with a resolution time is resolved."))
    if row.get("resolved_at") and row["resolved_at"] < row["opened_at"]:
        raise FieldBad("resolved_at", _("It cannot be resolved before it was opened."))


def catalogue_rules(row: dict[str, Any], ctx: Any) -> None:
    if row.get("active") is None:
        row["active"] = True


def rate_rules(row: dict[str, Any], ctx: Any) -> None:
    if row["rate"] <= 0:
        raise FieldBad("rate", _("A rate must be above zero."))
    if row.get("currency") == ctx.currency:
        raise FieldBad("currency", _("%(currency)s is the base currency: one unit is always "
                                     "worth one.") % {"currency": ctx.currency})  # fmt: skip


def rates_applied(actor: Any, stage: Any) -> None:
    """Imported rates reconvert the deals they apply to (from each currency's
    earliest imported date to the next rate after its latest), in the import's
    transaction (ADR 0013)."""
    from django.db import connection

    from rumbo.sales import money

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT currency, MIN(date), MAX(date) FROM {stage.table} GROUP BY currency"
        )
        reach = {c: [_as_date(low), _as_date(high)] for c, low, high in cursor.fetchall()}
    money.rates_imported(organization=actor.organization, changes=reach)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def contact_rules(row: dict[str, Any], ctx: Any) -> None:
    pass


def rep_rules(row: dict[str, Any], ctx: Any) -> None:
    """A users export with First Name and Last Name columns (HubSpot's): the
    person's name is both, joined. A name column, when the file has one, wins."""
    first, last = row.pop("first_name", ""), row.pop("last_name", "")
    if not row.get("name"):
        row["name"] = " ".join(part for part in (first, last) if part)
    if not row["name"]:
        raise FieldBad("first_name", _("A value is required."))
