"""Which column holds which field: a preset for the usual CRM exports, the
organisation's saved mapping, then headers recognised whatever their case,
spacing, underscores or language. The user can correct the result."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from rumbo.imports.kinds import Field, Kind, model_field
from rumbo.imports.values import fold

# Header (folded) -> field, per preset; applied before the generic recognition.
PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "generic": {},
    "salesforce": {
        "deals": {
            "opportunity id": "external_id", "opportunity name": "name",
            "account name": "customer_id", "opportunity owner": "owner_id",
            "stage": "stage_word", "amount": "amount", "opportunity currency": "currency",
            "amount currency": "currency", "close date": "closed_on",
            "created date": "created_on", "lead source": "source",
            "loss reason": "loss_reason", "closed lost reason": "loss_reason",
        },
        "customers": {
            "account id": "external_id", "account name": "name", "account owner": "owner_id",
            "industry": "industry", "billing country": "country", "billing city": "city",
            "billing state province": "region", "type": "segment",
        },
    },
    "hubspot": {
        "deals": {
            "record id": "external_id", "deal name": "name", "deal stage": "stage_word",
            "amount": "amount", "close date": "closed_on", "create date": "created_on",
            "deal owner": "owner_id", "associated company": "customer_id",
            "associated company primary": "customer_id", "currency": "currency",
            "closed lost reason": "loss_reason", "original source type": "source",
        },
        "customers": {
            "record id": "external_id", "company name": "name", "company owner": "owner_id",
            "industry": "industry", "country region": "country", "city": "city",
        },
    },
    "pipedrive": {
        "deals": {
            "deal id": "external_id", "deal title": "name", "deal value": "amount",
            "deal currency": "currency", "deal status": "outcome_word",
            "deal stage": "stage_word", "deal owner": "owner_id",
            "deal organization": "customer_id", "deal deal created": "created_on",
            "deal won time": "closed_on", "deal lost time": "closed_on",
            "deal close date": "closed_on", "deal lost reason": "loss_reason",
        },
        "customers": {
            "organization id": "external_id", "organization name": "name",
            "organization owner": "owner_id",
        },
    },
}  # fmt: skip


@dataclass
class Mapping:
    """Field name -> the column indexes holding it (the first non-blank wins, so
    Pipedrive's "won time" and "lost time" both feed the close date)."""

    columns: dict[str, list[int]]
    header: list[str]
    unmapped: list[str]

    def column_name(self, field_name: str, fallback: str = "") -> str:
        indexes = self.columns.get(field_name)
        return self.header[indexes[0]] if indexes else fallback

    def as_json(self) -> dict[str, str]:
        """Header -> field, as the mapping page shows and saves it."""
        result = {h: "" for h in self.header}
        for name, indexes in self.columns.items():
            for i in indexes:
                result[self.header[i]] = name
        return result


# camelCase and PascalCase word boundaries: "dealValue", "NumberOfEmployees", "AccountID".
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Words an export puts before a field's own name: the record it belongs to
# ("Deal - Value", "Organization - Name"), the vendor ("hubspot_owner_id") or
# the address part ("Billing Country", "Address 1: City"). Dropped only when
# the whole header names no field.
_LEADING = {
    "deals": {"deal", "deals", "opportunity", "opportunities", "potential", "negocio",
              "oportunidad"},
    "customers": {"account", "accounts", "company", "companies", "organization",
                  "organisation", "customer", "client", "cliente", "empresa", "cuenta",
                  "billing", "shipping", "mailing", "address", "primary", "main", "hq",
                  "headquarters", "1", "2", "direccion", "facturacion"},
    "contacts": {"contact", "contacts", "person", "people", "contacto", "primary", "main"},
    "products": {"product", "products", "item", "items", "article", "producto", "articulo"},
    "reps": {"user", "users", "employee", "member", "rep", "sales", "agent"},
}  # fmt: skip
_VENDORS = {"hubspot", "hs", "salesforce", "sf", "zoho", "pipedrive", "odoo", "msdyn", "crm"}


def header_key(header: str) -> str:
    """A header as words: case, accents, camelCase, snake_case, kebab-case and
    punctuation do not count ('dealValue', 'deal_value', 'Deal - Value' -> 'deal value')."""
    return fold(_CAMEL.sub(" ", header.strip()))


def spellings(kind: Kind, field: Field) -> list[str]:
    """The header words naming a field, the better names first (when two columns
    could be the field, the one with the earlier spelling wins)."""
    words = [fold(field.name), fold(field.name.removesuffix("_id"))]
    words.extend(fold(s) for s in field.synonyms.split(",") if s.strip())
    try:
        verbose = model_field(kind.model, field.name).verbose_name
    except Exception:  # a field that is not a model column (stage words, team, manager)
        verbose = None
    if verbose:
        for language in ("en", "es"):
            with translation.override(language):
                words.append(fold(str(verbose)))
    return list(dict.fromkeys(w for w in words if w))


def mappable(kind: Kind) -> list[Field]:
    return [f for f in kind.fields if f.type != "derived"]


def _candidates(kind: Kind, key: str) -> list[str]:
    """The header's words, then the same without the vendor, record or address
    words in front ('hubspot owner id' -> 'owner id')."""
    found = [key]
    words = key.split()
    leading = _LEADING.get(kind.name, set()) | _VENDORS
    while len(words) > 1 and words[0] in leading:
        words = words[1:]
        found.append(" ".join(words))
    return found


def recognise(kind: Kind, header: list[str]) -> dict[int, str]:
    """Column index -> field name, from the header words alone. Each field takes
    one column: the one named by its best spelling (an exact spelling before the
    same words run together, e.g. 'dealname', before a shortened header)."""
    by_spelling: dict[str, tuple[str, int]] = {}
    for f in mappable(kind):
        for rank, word in enumerate(spellings(kind, f)):
            by_spelling.setdefault(word, (f.name, rank))
            by_spelling.setdefault(word.replace(" ", ""), (f.name, 1000 + rank))
    best: dict[str, tuple[int, int]] = {}  # field -> (score, column)
    for i, head in enumerate(header):
        for step, key in enumerate(_candidates(kind, header_key(head))):
            hit = by_spelling.get(key) or by_spelling.get(key.replace(" ", ""))
            if hit:
                score = step * 10000 + hit[1]
                if hit[0] not in best or score < best[hit[0]][0]:
                    best[hit[0]] = (score, i)
                break
    return {i: name for name, (_score, i) in best.items()}


def auto_map(
    kind: Kind, header: list[str], preset: str = "generic", saved: dict[str, str] | None = None
) -> Mapping:
    """Map each header to a field: saved mapping, then preset, then spellings."""
    fields = {f.name: f for f in mappable(kind)}
    preset_map = PRESETS.get(preset, {}).get(kind.name, {})
    recognised = recognise(kind, header)
    columns: dict[str, list[int]] = {}
    unmapped: list[str] = []
    for i, head in enumerate(header):
        key = fold(head)
        if saved is not None and head in saved:
            name = saved[head]
        elif key in preset_map:
            name = preset_map[key]
        else:
            name = recognised.get(i, "")
        if name and name in fields:
            if name in columns and key not in preset_map and (saved is None or head not in saved):
                unmapped.append(head)  # a second column for a field: only presets allow it
                continue
            columns.setdefault(name, []).append(i)
        elif head:
            unmapped.append(head)
    return Mapping(columns=columns, header=header, unmapped=unmapped)


def mapping_from_json(kind: Kind, header: list[str], chosen: dict[str, str]) -> Mapping:
    """A mapping the user chose on the page (header -> field name, "" to skip)."""
    fields = {f.name for f in mappable(kind)}
    columns: dict[str, list[int]] = {}
    unmapped = []
    for i, head in enumerate(header):
        name = chosen.get(head, "")
        if name in fields:
            columns.setdefault(name, []).append(i)
        elif head:
            unmapped.append(head)
    return Mapping(columns=columns, header=header, unmapped=unmapped)


def missing_required(kind: Kind, mapping: Mapping) -> list[str]:
    missing = [f.name for f in mappable(kind) if f.required and f.name not in mapping.columns]
    if "line_product" in mapping.columns and "amount" in missing:
        missing.remove("amount")  # a deal's amount is the sum of its lines
    if "name" in missing and ({"first_name", "last_name"} & set(mapping.columns)):
        missing.remove("name")  # a users export's First Name and Last Name (rules.rep_rules)
    return missing


def field_label(kind: Kind, name: str) -> str:
    """The user's word for a field: the model's verbose name, else a readable name."""
    labels: dict[str, Any] = {
        "stage_word": _("stage"), "outcome_word": _("outcome"), "team": _("team or region"),
        "manager": _("manager"), "line_product": _("line product"),
        "line_quantity": _("line quantity"), "line_unit_price": _("line unit price"),
        "first_name": _("first name"), "last_name": _("last name"),
    }  # fmt: skip
    if name in labels:
        return str(labels[name])
    try:
        return str(model_field(kind.model, name).verbose_name)
    except Exception:
        return name.replace("_", " ")
