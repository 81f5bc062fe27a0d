"""What each KIND of file holds: its fields (with the header spellings that name
them, in English and Spanish), how a row is matched to an existing record, and
the rules across fields that the sales models and services enforce."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.sales import choices
from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)
from rumbo.tenancy.models import Member, Role

CENT = Decimal("0.01")


def model_field(model: type[models.Model], name: str) -> Any:
    """The model field behind an import field (`owner_id` is the `owner` field)."""
    try:
        return model._meta.get_field(name)
    except Exception:
        return model._meta.get_field(name.removesuffix("_id"))


class FieldBad(Exception):
    """A rule across fields failed; `field` names the column to blame."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass(frozen=True)
class Field:
    """One importable field. `name` is the model column (`owner_id` for a
    reference); `type` says how a cell is read; `arg` is the choices class, the
    referenced kind, or the model field whose values a catalogue word joins."""

    name: str
    type: str = "text"
    required: bool = False
    synonyms: str = ""
    arg: Any = None
    stored: bool = True  # False: read to compute others (deal stage words), not a column
    # A choice an export fills with free text: an unknown word becomes this value.
    fallback: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    fields: list[Field]
    # Rows with an external id match by it; the others by this natural key.
    natural_key: tuple[str, ...]
    finish: Callable[[dict[str, Any], Any], None] | None = None
    label: Any = ""
    has_external_id: bool = True

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def stored(self) -> list[Field]:
        return [f for f in self.fields if f.stored]


EXTERNAL_ID = Field("external_id", synonyms="id, external id, record id, crm id, codigo, "
                    "identificador, id externo, ref, reference, referencia")  # fmt: skip
EMAIL = Field("email", "email", synonyms="email, e mail, mail, correo, correo electronico")
PHONE = Field("phone", synonyms="phone, telephone, tel, mobile, telefono, movil, celular")


def _customer_rules(row: dict[str, Any], ctx: Any) -> None:
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


def _deal_rules(row: dict[str, Any], ctx: Any) -> None:
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
    if row.get("created_on") is None:
        row["created_on"] = row.get("closed_on") or ctx.today
    if row.get("closed_on") and row["closed_on"] < row["created_on"]:
        raise FieldBad("closed_on", _("The close date cannot be before the creation date."))
    if row.get("line_product") is not None:
        _line(row, ctx)
    elif row.get("amount") is None:
        raise FieldBad("amount", _("A value is required."))
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
    row["amount_base"] = (amount * rate).quantize(CENT)
    row["amount"] = amount.quantize(CENT)


def _line(row: dict[str, Any], ctx: Any) -> None:
    """A deal line: the row's amount is the line's total (quantity × price, the
    product's list price when the file gives none)."""
    product = row.pop("line_product")
    quantity = row.pop("line_quantity", None) or Decimal(1)
    price = row.pop("line_unit_price", None)
    if price is None:
        price = ctx.resolver.index("product").extra[product][0]
    if quantity <= 0:
        raise FieldBad("line_quantity", _("Each line needs a positive quantity."))
    if price < 0:
        raise FieldBad("line_unit_price", _("A price cannot be negative."))
    row["amount"] = (quantity * price).quantize(CENT)
    row["_line"] = (product, quantity, price)


def _activity_rules(row: dict[str, Any], ctx: Any) -> None:
    _deal_of_customer(row, ctx)
    if row.get("owner_id") is None:
        _owner_from_customer(row, ctx, "owner_id")
    if row.get("outcome") is None:
        row["outcome"] = choices.ActivityOutcome.DONE


def _survey_rules(row: dict[str, Any], ctx: Any) -> None:
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


def _complaint_rules(row: dict[str, Any], ctx: Any) -> None:
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


def _catalogue_rules(row: dict[str, Any], ctx: Any) -> None:
    if row.get("active") is None:
        row["active"] = True


def _rate_rules(row: dict[str, Any], ctx: Any) -> None:
    if row["rate"] <= 0:
        raise FieldBad("rate", _("A rate must be above zero."))


def _contact_rules(row: dict[str, Any], ctx: Any) -> None:
    pass


NAME = "name, nombre, full name, nombre completo"
OWNER = ("owner, rep, seller, sales rep, account owner, owner name, salesperson, vendedor, "
         "comercial, propietario, responsable, representante, agente")  # fmt: skip
CUSTOMER = ("customer, client, account, account name, company, organization, organisation, "
            "cliente, cuenta, empresa, razon social, customer id, client id")  # fmt: skip
DEAL = "deal, opportunity, deal id, opportunity id, negocio, oportunidad, venta"
REP = "rep, seller, owner, agent, sales rep, vendedor, comercial, representante, agente"

KINDS: dict[str, Kind] = {}


def _register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


_register(Kind("customers", Customer, [
    EXTERNAL_ID,
    Field("name", required=True, synonyms=NAME + ", " + CUSTOMER),
    Field("kind", "choice", arg=choices.CustomerKind, synonyms="kind, type, customer type, tipo"),
    Field("owner_id", "ref", arg="member", synonyms=OWNER),
    Field("segment", "word", synonyms="segment, segmento, tier"),
    Field("industry", "word", synonyms="industry, sector, vertical, industria, rubro"),
    Field("size_band", "choice", arg=choices.SizeBand,
          synonyms="size, size band, employees, company size, tamano, empleados"),
    Field("country", "country", synonyms="country, pais, billing country"),
    Field("region", synonyms="region, state, province, provincia, estado, comunidad"),
    Field("city", synonyms="city, town, ciudad, localidad, municipio, billing city"),
    Field("age_band", "choice", arg=choices.AgeBand, synonyms="age, age band, edad, rango de edad"),
    Field("gender", "choice", arg=choices.Gender, synonyms="gender, sex, genero, sexo"),
    Field("income_band", "choice", arg=choices.IncomeBand,
          synonyms="income, income band, ingresos, nivel de ingresos"),
    EMAIL, PHONE,
], ("name",), _customer_rules, gettext_lazy("customers")))  # fmt: skip

_register(Kind("contacts", Contact, [
    EXTERNAL_ID,
    Field("customer_id", "ref", required=True, arg="customer", synonyms=CUSTOMER),
    Field("name", required=True, synonyms=NAME + ", contact, contact name, contacto"),
    Field("title", synonyms="title, job title, position, role, cargo, puesto"),
    EMAIL, PHONE,
], ("customer_id", "name"), _contact_rules, gettext_lazy("contacts")))  # fmt: skip

_register(Kind("products", Product, [
    Field("sku", required=True, synonyms="sku, product code, code, item code, codigo, referencia, "
          "product id"),
    Field("name", required=True, synonyms=NAME + ", product, product name, producto"),
    Field("category", "word", synonyms="category, family, product family, categoria, familia"),
    Field("list_price", "decimal", required=True,
          synonyms="list price, price, unit price, precio, precio de lista, tarifa"),
    Field("active", "bool", synonyms="active, enabled, activo"),
], ("sku",), _catalogue_rules, gettext_lazy("products"), has_external_id=False))  # fmt: skip

_register(Kind("techniques", Technique, [
    Field("name", required=True, synonyms=NAME + ", technique, tecnica, method, metodo"),
    Field("description", synonyms="description, descripcion, notes, notas"),
    Field("active", "bool", synonyms="active, enabled, activo, activa"),
], ("name",), _catalogue_rules, gettext_lazy("techniques"), has_external_id=False))  # fmt: skip

_register(Kind("rates", ExchangeRate, [
    Field("currency", "currency", required=True, synonyms="currency, code, moneda, divisa"),
    Field("date", "date", required=True, synonyms="date, day, fecha, dia, effective date"),
    Field("rate", "decimal", required=True,
          synonyms="rate, exchange rate, value, tipo de cambio, tasa, cambio, valor"),
], ("currency", "date"), _rate_rules, gettext_lazy("exchange rates"),
    has_external_id=False))  # fmt: skip

_register(Kind("deals", Deal, [
    Field("external_id", synonyms=EXTERNAL_ID.synonyms + ", deal id, opportunity id, id negocio, "
          "id oportunidad"),
    Field("name", required=True, synonyms=NAME + ", deal, deal name, opportunity, "
          "opportunity name, title, deal title, negocio, oportunidad, titulo"),
    Field("owner_id", "ref", required=True, arg="member", synonyms=OWNER + ", deal owner, "
          "opportunity owner"),
    Field("customer_id", "ref", arg="customer", synonyms=CUSTOMER + ", associated company"),
    Field("stage_word", "stage", stored=False, synonyms="stage, deal stage, etapa, fase"),
    Field("outcome_word", "outcome", stored=False,
          synonyms="outcome, status, result, won lost, resultado, estado"),
    Field("loss_reason", "choice", arg=choices.LossReason, fallback="other",
          synonyms="loss reason, lost reason, closed lost reason, motivo de perdida"),
    Field("source", "choice", arg=choices.Source, fallback="",
          synonyms="source, lead source, origin, origen, fuente, canal"),
    Field("amount", "money", required=True,
          synonyms="amount, value, deal value, total, importe, monto, valor, cantidad"),
    Field("currency", "currency", synonyms="currency, deal currency, opportunity currency, "
          "moneda, divisa"),
    Field("created_on", "date", synonyms="created, created on, created date, create date, "
          "creation date, deal created, fecha de creacion, creado, alta"),
    Field("closed_on", "date", synonyms="closed, closed on, close date, closed date, won time, "
          "lost time, fecha de cierre, cierre, cerrado"),
    # One row per deal line: a product column turns the lines on (see lines.py).
    Field("line_product", "ref", arg="product", stored=False,
          synonyms="product, product name, product code, item, line item, producto, articulo"),
    Field("line_quantity", "decimal", stored=False,
          synonyms="quantity, qty, units, cantidad, unidades"),
    Field("line_unit_price", "decimal", stored=False,
          synonyms="unit price, sales price, precio unitario, precio de venta"),
    Field("techniques", "techniques", stored=False,
          synonyms="techniques, technique, sales techniques, tecnicas, tecnica, metodos de venta"),
    Field("amount_base", "derived"),
    Field("stage", "derived"),
    Field("outcome", "derived"),
], ("name", "created_on"), _deal_rules, gettext_lazy("deals")))  # fmt: skip

_register(Kind("activities", Activity, [
    EXTERNAL_ID,
    Field("owner_id", "ref", arg="member", synonyms=REP + ", owner, assigned to, asignado a"),
    Field("customer_id", "ref", required=True, arg="customer", synonyms=CUSTOMER),
    Field("deal_id", "ref", arg="deal", synonyms=DEAL),
    Field("kind", "choice", required=True, arg=choices.ActivityKind,
          synonyms="kind, type, activity type, tipo, tipo de actividad"),
    Field("date", "date", required=True, synonyms="date, fecha, due date, activity date"),
    Field("outcome", "choice", arg=choices.ActivityOutcome, synonyms="outcome, result, resultado"),
    Field("notes", synonyms="notes, note, description, subject, notas, descripcion, asunto"),
], ("owner_id", "customer_id", "kind", "date"), _activity_rules,
    gettext_lazy("activities")))  # fmt: skip

_register(Kind("surveys", SurveyResponse, [
    Field("external_id", synonyms=EXTERNAL_ID.synonyms + ", response id, respondent id"),
    # Survey tools export one survey per file, without a kind column: then the
    # scores decide (any 0 or above 5: NPS), see RowReader.
    Field("kind", "choice", arg=choices.SurveyKind,
          synonyms="kind, survey, survey type, type, encuesta, tipo"),
    Field("score", "int", required=True, synonyms="score, rating, answer, nota, puntuacion, "
          "calificacion, valoracion, nps, nps score, csat, csat score, satisfaction score, "
          "likelihood to recommend"),
    Field("comment", synonyms="comment, comments, feedback, verbatim, comentario, comentarios"),
    Field("responded_on", "date", required=True, synonyms="date, responded, responded on, "
          "response date, submitted, submitted at, date submitted, end date, fecha, "
          "fecha de respuesta"),
    Field("channel", "choice", arg=choices.SurveyChannel, synonyms="channel, canal, medio"),
    # Survey tools name the respondent by email: a customer's email finds it.
    Field("customer_id", "ref", required=True, arg="customer", synonyms=CUSTOMER + ", email, "
          "e mail, respondent email, customer email, correo, correo electronico"),
    Field("deal_id", "ref", arg="deal", synonyms=DEAL),
    Field("rep_id", "ref", arg="member", synonyms=REP),
], ("customer_id", "kind", "responded_on"), _survey_rules,
    gettext_lazy("survey responses")))  # fmt: skip

_register(Kind("complaints", Complaint, [
    EXTERNAL_ID,
    Field("customer_id", "ref", required=True, arg="customer", synonyms=CUSTOMER),
    Field("deal_id", "ref", arg="deal", synonyms=DEAL),
    Field("rep_id", "ref", arg="member", synonyms=REP),
    Field("opened_at", "datetime", required=True, synonyms="opened, opened at, date, created, "
          "fecha, abierta, fecha de apertura, apertura"),
    Field("resolved_at", "datetime", synonyms="resolved, resolved at, closed, closed at, "
          "resuelta, fecha de resolucion, cerrada"),
    Field("severity", "choice", arg=choices.Severity, synonyms="severity, priority, gravedad, "
          "prioridad, severidad"),
    Field("category", "choice", required=True, arg=choices.ComplaintCategory,
          synonyms="category, type, reason, categoria, tipo, motivo"),
    Field("status", "choice", arg=choices.ComplaintStatus, synonyms="status, state, estado"),
    Field("description", synonyms="description, complaint, details, descripcion, detalle, queja"),
    Field("resolution_notes", synonyms="resolution, resolution notes, solution, resolucion, "
          "solucion"),
], ("customer_id", "opened_at", "category"), _complaint_rules,
    gettext_lazy("complaints")))  # fmt: skip

# Reps build the team tree as well as members: applied by `services.reps_apply`.
_register(Kind("reps", Member, [
    EXTERNAL_ID,
    Field("name", required=True, synonyms=NAME + ", rep, seller, sales rep, vendedor, comercial, "
          "representante, agente"),
    EMAIL,
    Field("role", "choice", arg=Role, synonyms="role, rol, position, puesto"),
    Field("team", synonyms="team, region, regional office, office, territory, branch, equipo, "
          "region, oficina, oficina regional, zona, territorio, sucursal"),
    Field("manager", synonyms="manager, reports to, supervisor, boss, jefe, gerente, responsable, "
          "supervisor, director"),
], ("name",), None, gettext_lazy("reps")))  # fmt: skip
