"""Which column holds which field: a preset for the usual CRM exports, the
organisation's saved mapping, then headers recognised whatever their case,
spacing, underscores or language. The user can correct the result."""

from __future__ import annotations

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


def spellings(kind: Kind, field: Field) -> set[str]:
    words = {fold(field.name), fold(field.name.removesuffix("_id"))}
    words.update(fold(s) for s in field.synonyms.split(",") if s.strip())
    try:
        verbose = model_field(kind.model, field.name).verbose_name
    except Exception:  # a field that is not a model column (stage words, team, manager)
        verbose = None
    if verbose:
        for language in ("en", "es"):
            with translation.override(language):
                words.add(fold(str(verbose)))
    words.discard("")
    return words


def mappable(kind: Kind) -> list[Field]:
    return [f for f in kind.fields if f.type != "derived"]


def auto_map(
    kind: Kind, header: list[str], preset: str = "generic", saved: dict[str, str] | None = None
) -> Mapping:
    """Map each header to a field: saved mapping, then preset, then spellings."""
    fields = {f.name: f for f in mappable(kind)}
    preset_map = PRESETS.get(preset, {}).get(kind.name, {})
    by_spelling: dict[str, str] = {}
    for f in fields.values():
        for word in spellings(kind, f):
            by_spelling.setdefault(word, f.name)
    columns: dict[str, list[int]] = {}
    unmapped: list[str] = []
    for i, head in enumerate(header):
        key = fold(head)
        if saved is not None and head in saved:
            name = saved[head]
        elif key in preset_map:
            name = preset_map[key]
        else:
            name = by_spelling.get(key, "")
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
    return missing


def field_label(kind: Kind, name: str) -> str:
    """The user's word for a field: the model's verbose name, else a readable name."""
    labels: dict[str, Any] = {
        "stage_word": _("stage"), "outcome_word": _("outcome"), "team": _("team or region"),
        "manager": _("manager"),
    }  # fmt: skip
    if name in labels:
        return str(labels[name])
    try:
        return str(model_field(kind.model, name).verbose_name)
    except Exception:
        return name.replace("_", " ")
