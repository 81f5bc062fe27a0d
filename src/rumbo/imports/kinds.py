"""What each KIND of file holds: its fields (with the header spellings that name
them, in English and Spanish) and how a row is matched to an existing record.
The rules across fields of each kind are in `rumbo.imports.rules`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from rumbo.imports.resolve import product_rules
from rumbo.imports.rules import (
    FieldBad,
    activity_rules,
    catalogue_rules,
    complaint_rules,
    contact_rules,
    customer_rules,
    deal_rules,
    rate_finder,
    rate_rules,
    rates_applied,
    rep_rules,
    survey_rules,
)
from rumbo.imports.values import Bad, parse_headcount, size_band_for
from rumbo.imports.words import parse_choice
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

__all__ = ["KINDS", "Field", "FieldBad", "Kind", "model_field", "rate_finder"]


def model_field(model: type[models.Model], name: str) -> Any:
    """The model field behind an import field (`owner_id` is the `owner` field)."""
    try:
        return model._meta.get_field(name)
    except Exception:
        return model._meta.get_field(name.removesuffix("_id"))


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
    # Run in the apply transaction once the rows are written (actor, stage):
    # e.g. imported rates reconvert the deals they apply to (ADR 0013).
    after_apply: Callable[[Any, Any], None] | None = None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def stored(self) -> list[Field]:
        return [f for f in self.fields if f.stored]


EXTERNAL_ID = Field("external_id", synonyms="id, external id, record id, crm id, codigo, "
                    "identificador, id externo, ref, reference, referencia")  # fmt: skip
EMAIL = Field("email", "email", synonyms="email, e mail, mail, correo, correo electronico")
PHONE = Field("phone", synonyms="phone, telephone, tel, mobile, telefono, movil, celular, "
              "phone number, main phone, business phone, work phone")  # fmt: skip


NAME = "name, nombre, full name, nombre completo"
OWNER = ("owner, rep, seller, sales rep, account owner, owner name, salesperson, vendedor, "
         "comercial, propietario, responsable, representante, agente, sales agent, agent, "
         "sales person, sales representative, assigned to, owner email")  # fmt: skip
CUSTOMER = ("customer, client, account, account name, company, organization, organisation, "
            "cliente, cuenta, empresa, razon social, customer id, client id, customer name, "
            "company name, organization name, organisation name, associated company, "
            "potential customer")  # fmt: skip
DEAL = "deal, opportunity, deal id, opportunity id, negocio, oportunidad, venta"
REP = ("rep, seller, owner, agent, sales rep, vendedor, comercial, representante, agente, "
       "sales agent, salesperson, owner name, rep name, agent name")  # fmt: skip

KINDS: dict[str, Kind] = {}


def _register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def _customer_finish(row: dict[str, Any], ctx: Any) -> None:
    """An employees column holds a number (kept, and its size band worked out
    unless a size column gives one) or a band as a size column would."""
    cell = row.pop("employees", None)
    if cell:
        count = parse_headcount(cell)
        if count is not None:
            row["employee_count"] = count
            row["size_band"] = row.get("size_band") or size_band_for(count)
        elif not row.get("size_band"):
            try:
                row["size_band"] = parse_choice(cell, choices.SizeBand,
                                                ctx.resolver.aliases["size_band"])  # fmt: skip
            except Bad as exc:
                raise FieldBad("employees", exc.reason) from None
    customer_rules(row, ctx)


_register(Kind("customers", Customer, [
    EXTERNAL_ID,
    # Not "customer id": in a customers file that is the external id.
    Field("name", required=True, synonyms=NAME + ", " + CUSTOMER.replace(
        "customer id, client id, ", "")),  # fmt: skip
    Field("kind", "choice", arg=choices.CustomerKind,
          synonyms="kind, customer kind, b2b b2c, tipo de cliente"),
    Field("owner_id", "ref", arg="member", synonyms=OWNER),
    Field("segment", "word", synonyms="segment, segmento, tier, type, account type, "
          "company type, customer type, tipo"),
    Field("industry", "word", synonyms="industry, sector, vertical, industria, rubro, "
          "industry sector"),
    Field("size_band", "choice", arg=choices.SizeBand,
          synonyms="size, size band, company size, size range, tamano, tamano de empresa"),
    # A number of employees or a band: read by `_customer_finish` (not a column itself).
    Field("employees", stored=False, synonyms="employees, number of employees, "
          "no of employees, num employees, employee count, employees count, headcount, staff, "
          "empleados, numero de empleados, plantilla"),
    Field("employee_count", "derived"),
    Field("country", "country", synonyms="country, pais, billing country, country region, "
          "country name, office location, location country, nation, country code"),
    Field("region", synonyms="region, state, province, provincia, estado, comunidad, "
          "state province, state region, county"),
    Field("city", synonyms="city, town, ciudad, localidad, municipio, billing city, "
          "city town"),
    Field("age_band", "choice", arg=choices.AgeBand, synonyms="age, age band, edad, rango de edad"),
    Field("gender", "choice", arg=choices.Gender, synonyms="gender, sex, genero, sexo"),
    Field("income_band", "choice", arg=choices.IncomeBand,
          synonyms="income, income band, ingresos, nivel de ingresos"),
    EMAIL, PHONE,
], ("name",), _customer_finish, gettext_lazy("customers")))  # fmt: skip

_register(Kind("contacts", Contact, [
    EXTERNAL_ID,
    Field("customer_id", "ref", required=True, arg="customer", synonyms=CUSTOMER),
    Field("name", required=True, synonyms=NAME + ", contact, contact name, contacto"),
    Field("title", synonyms="title, job title, position, role, cargo, puesto"),
    EMAIL, PHONE,
], ("customer_id", "name"), contact_rules, gettext_lazy("contacts")))  # fmt: skip

_register(Kind("products", Product, [
    # Optional: a product without one is matched by name (see resolve.product_rules).
    Field("sku", synonyms="sku, product code, code, item code, codigo, referencia, "
          "product id, internal reference, default code, part number, article number"),
    Field("name", required=True, synonyms=NAME + ", product, product name, producto, "
          "item, item name, title, articulo"),
    Field("category", "word", synonyms="category, family, product family, categoria, familia, "
          "series, product series, product line, product category"),
    Field("list_price", "decimal", required=True,
          synonyms="list price, price, unit price, sales price, sale price, selling price, "
          "standard price, price per unit, retail price, msrp, rrp, precio, precio de lista, "
          "precio de venta, precio unitario, pvp, tarifa"),
    Field("active", "bool", synonyms="active, enabled, activo"),
], ("sku",), product_rules, gettext_lazy("products"), has_external_id=False))  # fmt: skip

_register(Kind("techniques", Technique, [
    Field("name", required=True, synonyms=NAME + ", technique, tecnica, method, metodo"),
    Field("description", synonyms="description, descripcion, notes, notas"),
    Field("active", "bool", synonyms="active, enabled, activo, activa"),
], ("name",), catalogue_rules, gettext_lazy("techniques"), has_external_id=False))  # fmt: skip

_register(Kind("rates", ExchangeRate, [
    Field("currency", "currency", required=True, synonyms="currency, code, moneda, divisa"),
    Field("date", "date", required=True, synonyms="date, day, fecha, dia, effective date"),
    Field("rate", "decimal", required=True,
          synonyms="rate, exchange rate, value, tipo de cambio, tasa, cambio, valor"),
], ("currency", "date"), rate_rules, gettext_lazy("exchange rates"),
    has_external_id=False, after_apply=rates_applied))  # fmt: skip

_register(Kind("deals", Deal, [
    Field("external_id", synonyms=EXTERNAL_ID.synonyms + ", deal id, opportunity id, id negocio, "
          "id oportunidad"),
    # Not required: a pipeline keyed by opportunity id names no deal; the id
    # names it then (rules.deal_rules).
    Field("name", synonyms=NAME + ", deal, deal name, opportunity, "
          "opportunity name, title, deal title, topic, subject, negocio, oportunidad, titulo"),
    Field("owner_id", "ref", required=True, arg="member", synonyms=OWNER + ", deal owner, "
          "opportunity owner"),
    Field("customer_id", "ref", arg="customer", synonyms=CUSTOMER + ", associated company"),
    Field("stage_word", "stage", stored=False, synonyms="stage, deal stage, stage name, "
          "pipeline stage, sales stage, opportunity stage, etapa, fase"),
    Field("outcome_word", "outcome", stored=False,
          synonyms="outcome, status, result, won lost, resultado, estado"),
    Field("loss_reason", "choice", arg=choices.LossReason, fallback="other",
          synonyms="loss reason, lost reason, closed lost reason, motivo de perdida"),
    Field("source", "choice", arg=choices.Source, fallback="",
          synonyms="source, lead source, origin, origen, fuente, canal"),
    # Not required: an open deal may have no value yet (rules.deal_rules); a won
    # or lost one without an amount is refused row by row.
    Field("amount", "money",
          synonyms="amount, value, deal value, close value, closed value, deal amount, "
          "opportunity amount, actual revenue, actual value, revenue, expected revenue, "
          "est revenue, estimated revenue, total, importe, monto, valor, cantidad"),
    Field("currency", "currency", synonyms="currency, deal currency, opportunity currency, "
          "moneda, divisa"),
    Field("created_on", "date", synonyms="created, created on, created date, create date, "
          "creation date, deal created, created time, created at, engage date, engaged on, "
          "fecha de creacion, creado, alta"),
    Field("closed_on", "date", synonyms="closed, closed on, close date, closed date, won time, "
          "lost time, closing date, actual close date, close time, closed at, expected closing, "
          "expected close date, est close date, estimated close date, fecha de cierre, cierre, "
          "cerrado"),
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
], ("name", "created_on"), deal_rules, gettext_lazy("deals")))  # fmt: skip

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
], ("owner_id", "customer_id", "kind", "date"), activity_rules,
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
], ("customer_id", "kind", "responded_on"), survey_rules,
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
], ("customer_id", "opened_at", "category"), complaint_rules,
    gettext_lazy("complaints")))  # fmt: skip

# Reps build the team tree as well as members: applied by `services.reps_apply`.
_register(Kind("reps", Member, [
    EXTERNAL_ID,
    Field("name", required=True, synonyms=NAME + ", rep, seller, sales rep, vendedor, comercial, "
          "representante, agente, sales agent, agent, salesperson, sales person, rep name, "
          "agent name, user, user name, employee, employee name"),
    # HubSpot's users export names people in two columns (rules.rep_rules joins them).
    Field("first_name", stored=False, synonyms="first name, given name, forename, "
          "nombre de pila"),
    Field("last_name", stored=False, synonyms="last name, surname, family name, apellido, "
          "apellidos"),
    EMAIL,
    Field("role", "choice", arg=Role, synonyms="role, rol, position, puesto"),
    Field("team", synonyms="team, region, regional office, office, territory, branch, equipo, "
          "sales team, team name, sales office, business unit, "
          "region, oficina, oficina regional, zona, territorio, sucursal"),
    Field("manager", synonyms="manager, reports to, supervisor, boss, jefe, gerente, responsable, "
          "manager name, team manager, team leader, team lead, line manager, "
          "supervisor, director"),
], ("name",), rep_rules, gettext_lazy("reps")))  # fmt: skip
