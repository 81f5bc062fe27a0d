"""Parse → map → read values → validate, row by row, in bounded memory.

`RowReader` turns one file row into a record's values or a list of problems
(row, column, value, reason). It is built once per import from the mapping and
a sample of the file (which decides date order and decimal mark per column)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.imports import values as v
from rumbo.imports import words
from rumbo.imports.columns import Mapping, field_label
from rumbo.imports.kinds import Field, FieldBad, Kind, rate_finder
from rumbo.imports.resolve import Resolver
from rumbo.tenancy.models import CURRENCY_CODES, Organization

SAMPLE_ROWS = 5000
_MISSING = object()


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str
    suggestions: tuple[str, ...] = ()

    def line(self) -> str:
        column = self.column or _("(file)")
        return _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row, "column": column, "reason": self.reason,
        }  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason, "suggestions": list(self.suggestions)}  # fmt: skip


@dataclass
class Context:
    """What the rules of a kind need besides the row: the organisation, today,
    exchange rates and references."""

    organization: Organization
    resolver: Resolver
    today: dt.date = field(default_factory=timezone.localdate)
    # The survey of a file without a kind column (decided from its scores).
    survey_kind: str = "csat"
    # Whose the records are when the file names no owner: an independent
    # seller's own files rarely have an owner column (she is the only seller).
    owner_id: int | None = None
    rate_on: Callable[[str, dt.date], Any] = field(init=False)

    def __post_init__(self) -> None:
        self.currency = self.organization.currency
        self.rate_on = rate_finder(self.organization)
        try:
            self.zone: dt.tzinfo = zoneinfo.ZoneInfo(self.organization.time_zone)
        except zoneinfo.ZoneInfoNotFoundError:
            self.zone = dt.UTC


def sample(rows: Iterator[tuple[int, list[Any]]]) -> tuple[list[tuple[int, list[Any]]], Iterator]:  # type: ignore[type-arg]
    """The first rows (kept, to decide column formats) and an iterator over all."""
    head = list(itertools.islice(rows, SAMPLE_ROWS))
    return head, itertools.chain(head, rows)


class RowReader:
    """Reads rows of one kind with one mapping."""

    def __init__(self, kind: Kind, mapping: Mapping, ctx: Context,
                 head: list[tuple[int, list[Any]]]) -> None:  # fmt: skip
        self.kind = kind
        self.mapping = mapping
        self.ctx = ctx
        self.width = len(mapping.header)
        default_dmy = ctx.organization.language == "es"
        # A file writes all its dates one way: evidence in one date column decides the others.
        file_votes = {
            v.date_order_evidence(cells[i])
            for f in kind.fields if f.type in ("date", "datetime")
            for _r, cells in head for i in mapping.columns.get(f.name, []) if i < len(cells)
        }  # fmt: skip
        if "dmy" in file_votes and "mdy" not in file_votes:
            default_dmy = True
        elif "mdy" in file_votes and "dmy" not in file_votes:
            default_dmy = False
        self.default_dmy = default_dmy
        if kind.name == "surveys" and "kind" not in mapping.columns:
            ctx.survey_kind = _survey_kind(mapping, head)
        self.readers: list[tuple[Field, list[int], Callable[[Any], Any], dict[Any, Any] | None]]
        self.readers = []
        for f in kind.fields:
            indexes = mapping.columns.get(f.name)
            if not indexes:
                continue
            column_values = [cells[i] for _r, cells in head for i in indexes if i < len(cells)]
            reader = self._reader(f, column_values, default_dmy)
            # One cache per field: the same owner, customer, date or stage word recurs;
            # names, ids and amounts rarely do, and caching them would only fill memory.
            cacheable: dict[Any, Any] | None = (
                None if f.type in ("text", "email", "int", "money", "decimal") else {}
            )
            self.readers.append((f, indexes, reader, cacheable))
        # The same, flattened for the hot loop in `read`: (name, first column,
        # all columns when several, required, reader, cache, money).
        owned = any(f.name == "owner_id" for f in kind.fields)
        self.default_owner = ctx.owner_id if owned else None
        self._cells = [
            (f.name, indexes[0], indexes if len(indexes) > 1 else None,
             f.required and not (f.name == "owner_id" and self.default_owner), reader,
             cacheable, f.type == "money")
            for f, indexes, reader, cacheable in self.readers
        ]  # fmt: skip
        self.stored = [(f.name, self._blank_value(f)) for f in kind.stored]

    def _blank_value(self, f: Field) -> Any:
        if f.type in ("ref", "derived") or f.name.endswith("_id") and f.name != "external_id":
            return None
        try:
            model_field: Any = self.kind.model._meta.get_field(f.name)
        except Exception:
            return None
        if model_field.null:
            return None
        if model_field.has_default():
            return model_field.get_default()
        return "" if isinstance(model_field, models.CharField | models.TextField) else None

    def _reader(
        self, f: Field, sample_values: list[Any], default_dmy: bool
    ) -> Callable[[Any], Any]:
        ctx = self.ctx
        kind_model = self.kind.model
        if f.type in ("date", "datetime"):
            votes = [v.date_order_evidence(x) for x in sample_values]
            order = "dmy" if "dmy" in votes else "mdy" if "mdy" in votes else (
                "dmy" if self.default_dmy else "mdy")  # fmt: skip
            if f.type == "date":
                return lambda raw: v.parse_date(raw, order)
            zone = ctx.zone

            def read_datetime(raw: Any) -> Any:
                value = v.parse_datetime(raw, order)
                return None if value is None else timezone.make_aware(value, zone)

            return read_datetime
        if f.type in ("decimal", "money"):
            marks = [v.decimal_mark_evidence(x) for x in sample_values]
            mark = "," if "," in marks and "." not in marks else "." if "." in marks else (
                "," if ctx.organization.language == "es" else ".")  # fmt: skip
            if f.type == "decimal":
                return lambda raw: v.parse_decimal(raw, mark)
            return lambda raw: v.parse_money(raw, mark, ctx.currency)
        if f.type == "int":
            return v.parse_int
        if f.type == "bool":
            return v.parse_bool
        if f.type == "choice":
            aliases = ctx.resolver.aliases[f.name]
            if f.fallback is not None:

                def lenient(raw: Any) -> Any:
                    try:
                        return words.parse_choice(raw, f.arg, aliases)
                    except v.Bad:
                        return f.fallback

                return lenient
            return lambda raw: words.parse_choice(raw, f.arg, aliases)
        if f.type == "stage":
            return lambda raw: words.parse_stage(raw, ctx.resolver.aliases["stage"])
        if f.type == "outcome":
            return lambda raw: _outcome(raw, ctx.resolver.aliases["stage"])
        if f.type == "country":
            countries = ctx.resolver.aliases["country"]
            if not countries:
                return words.parse_country
            # A spelling the organisation saved an alias for (`--alias country:Holand=NL`).
            return lambda raw: countries.get(v.fold(v.text(raw))) or words.parse_country(raw)
        if f.type == "currency":
            return _currency
        if f.type == "ref":
            return lambda raw: ctx.resolver.find(f.arg, raw)
        if f.type == "techniques":
            return lambda raw: _techniques(ctx.resolver, raw)
        if f.type == "word":
            known = list(
                kind_model.objects.filter(organization=ctx.organization)  # type: ignore[attr-defined]
                .exclude(**{f.name: ""})
                .values_list(f.name, flat=True)
                .distinct()[:5000]
            )
            return lambda raw: ctx.resolver.word(f.name, raw, known) if not v.blank(raw) else ""
        if f.type == "email":
            return _email
        model_field = _model_field(kind_model, f.name)
        max_length = getattr(model_field, "max_length", None)
        plain = _printable_passes(model_field)
        return lambda raw: _text(raw, max_length, model_field, plain)

    def read(self, row_no: int, cells: list[Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The row's values by field name, or the problems that refuse it."""
        problems: list[Problem] = []
        if len(cells) != self.width:
            extra = cells[self.width :]
            if len(cells) < self.width or any(not v.blank(c) for c in extra):
                reason = _(
                    "This row has %(cells)s cells; the header has %(width)s "
                    "(a stray separator or quote?)."
                ) % {"cells": len(cells), "width": self.width}
                problems.append(Problem(row_no, "", "", reason))
                return None, problems
        row: dict[str, Any] = {}
        # The hot loop of a large import: kept free of helper calls where it can be.
        for name, index, indexes, required, reader, cacheable, money in self._cells:
            raw = cells[index]
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                if indexes is not None:
                    raw = next((cells[i] for i in indexes if not v.blank(cells[i])), None)
                if v.blank(raw):
                    if required:
                        problems.append(Problem(row_no, self.mapping.header[index], "",
                                                _("A value is required.")))  # fmt: skip
                    continue
            try:
                if cacheable is not None:
                    value = cacheable.get(raw, _MISSING)
                    if value is _MISSING:
                        value = reader(raw)
                        if len(cacheable) < 50_000:
                            cacheable[raw] = value
                else:
                    value = reader(raw)
            except v.Bad as exc:
                problems.append(Problem(row_no, self.mapping.header[index], v.text(raw),
                                        exc.reason, tuple(exc.suggestions)))  # fmt: skip
                continue
            if money:
                value, row["_cell_currency"] = value
            row[name] = value
        if problems:
            return None, problems
        if self.default_owner is not None and row.get("owner_id") is None:
            row["owner_id"] = self.default_owner
        if self.kind.finish is not None:
            try:
                self.kind.finish(row, self.ctx)
            except FieldBad as exc:
                column = self.mapping.column_name(exc.field, field_label(self.kind, exc.field))
                indexes = self.mapping.columns.get(exc.field) or []
                value = v.text(cells[indexes[0]]) if indexes else ""
                return None, [Problem(row_no, column, value, exc.reason)]
        return row, []

    def stage_values(self, row: dict[str, Any]) -> list[Any]:
        get = row.get
        return [blank_value if (value := get(name)) is None else value
                for name, blank_value in self.stored]  # fmt: skip


def _techniques(resolver: Resolver, raw: Any) -> tuple[int, ...]:
    """Technique names separated by ';' or ',' -> their ids, each once."""
    text = v.text(raw)
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    found = {resolver.find("technique", part) for part in parts}
    return tuple(sorted(pk for pk in found if pk is not None))


def _survey_kind(mapping: Mapping, head: list[tuple[int, list[Any]]]) -> str:
    """NPS when any score of the sample is 0 or above 5, else CSAT."""
    for index in mapping.columns.get("score", [])[:1]:
        for _row, cells in head:
            try:
                score = v.parse_int(cells[index]) if index < len(cells) else None
            except v.Bad:
                continue
            if score is not None and (score == 0 or score > 5):
                return "nps"
    return "csat"


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _printable_passes(field: Any) -> bool:
    """Whether every validator of `field` accepts any printable text within its
    length: its length (checked by `_text` itself) and the control-character
    checks of web/text.py, which refuse only characters `str.isprintable` calls
    unprintable. Then the validators run only on the rare text that is not."""
    from django.core.validators import MaxLengthValidator

    from rumbo.web.text import validate_multi_line_text, validate_single_line_text

    checks = (validate_single_line_text, validate_multi_line_text)
    validators = getattr(field, "validators", None) or []
    return all(isinstance(x, MaxLengthValidator) or x in checks for x in validators)


def _text(raw: Any, max_length: int | None, field: Any = None, plain: bool = False) -> str:
    # Free text keeps its own spacing (a re-import of an export must not change it).
    if raw.__class__ is str:
        value = raw.strip()
        if value[:1] == "'":
            value = v.unquote(value)
    else:
        value = v.text(raw)
    if max_length and len(value) > max_length:
        raise v.Bad(_("Use at most %(n)s characters (this has %(len)s).")
                    % {"n": max_length, "len": len(value)})  # fmt: skip
    if value and field is not None and not (plain and value.isprintable()):
        # The field's own checks, e.g. no control characters (web/text.py): the
        # bulk load stores rows without the model's full_clean.
        try:
            field.run_validators(value)
        except ValidationError as exc:
            raise v.Bad(" ".join(exc.messages)) from None
    return value


def _email(raw: Any) -> str:
    value = v.text(raw).lower()
    try:
        validate_email(value)
    except Exception:
        raise v.Bad(_("%(value)s is not an email address.") % {"value": value}) from None
    return value


def _currency(raw: Any) -> str:
    value = v.text(raw).upper()
    code = v.SYMBOLS.get(value, value)
    if code not in CURRENCY_CODES:
        raise v.Bad(_("%(value)s is not a currency Rumbo handles (%(codes)s).")
                    % {"value": value, "codes": ", ".join(CURRENCY_CODES)})  # fmt: skip
    return code


def _outcome(raw: Any, aliases: dict[str, str]) -> str:
    staged = words.parse_stage(raw, aliases)
    assert staged is not None  # blanks never reach a reader
    return staged[1]
