"""Exports of every list as CSV or XLSX, through the same access scoping as the
pages (`visible_to(member)`: a rep exports only what a rep sees).

The headers are ones the importer recognises, so an exported file imports
again as it is; references are written by name (or email for people), choices
by their label, dates in ISO. Text that a spreadsheet would run as a formula
(a cell starting with = + - @, or a tab / carriage return) cannot run: in a CSV
it gets a leading apostrophe (which the importer removes again), in an XLSX it
is written as a text cell."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from rumbo.tenancy.models import Member

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Getter = Callable[[Any], Any]


def _attr(path: str) -> Getter:
    parts = path.split(".")

    def get(obj: Any) -> Any:
        for part in parts:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj

    return get


def _label(name: str) -> Getter:
    return lambda obj: getattr(obj, f"get_{name}_display")() if getattr(obj, name) else ""


def _person(path: str) -> Getter:
    get = _attr(path)
    return lambda obj: (get(obj).email or get(obj).name) if get(obj) is not None else ""


def _techniques(deal: Deal) -> str:
    return "; ".join(sorted(t.name for t in deal.techniques.all()))


def _manager(member: Member) -> str:
    """The manager a member reports to: their team's manager, or (for that
    manager) the manager of the team above."""
    team = member.team
    while team is not None:
        if team.manager_id and team.manager_id != member.pk:
            return team.manager.name  # type: ignore[union-attr]
        team = team.parent
    return ""


@dataclass(frozen=True)
class Export:
    model: type[Any]
    columns: list[tuple[Any, Getter]]
    select_related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    prefetch_related: tuple[str, ...] = ()


EXTERNAL = (_("External id"), _attr("external_id"))
EXPORTS: dict[str, Export] = {
    "customers": Export(Customer, [
        EXTERNAL, (_("Name"), _attr("name")), (_("Kind"), _label("kind")),
        (_("Owner"), _person("owner")), (_("Segment"), _attr("segment")),
        (_("Industry"), _attr("industry")), (_("Size"), _label("size_band")),
        (_("Country"), _attr("country")), (_("Region"), _attr("region")),
        (_("City"), _attr("city")), (_("Age band"), _label("age_band")),
        (_("Gender"), _label("gender")), (_("Income band"), _label("income_band")),
        (_("Email"), _attr("email")), (_("Phone"), _attr("phone")),
    ], ("owner",)),
    "contacts": Export(Contact, [
        EXTERNAL, (_("Customer"), _attr("customer.name")), (_("Name"), _attr("name")),
        (_("Job title"), _attr("title")), (_("Email"), _attr("email")),
        (_("Phone"), _attr("phone")),
    ], ("customer",)),
    "products": Export(Product, [
        (_("SKU"), _attr("sku")), (_("Name"), _attr("name")),
        (_("Category"), _attr("category")), (_("List price"), _attr("list_price")),
        (_("Active"), _attr("active")),
    ]),
    "techniques": Export(Technique, [
        (_("Name"), _attr("name")), (_("Description"), _attr("description")),
        (_("Active"), _attr("active")),
    ]),
    "rates": Export(ExchangeRate, [
        (_("Currency"), _attr("currency")), (_("Date"), _attr("date")),
        (_("Rate"), _attr("rate")),
    ]),
    "deals": Export(Deal, [
        EXTERNAL, (_("Name"), _attr("name")), (_("Owner"), _person("owner")),
        (_("Customer"), _attr("customer.name")), (_("Stage"), _label("stage")),
        (_("Outcome"), _label("outcome")), (_("Loss reason"), _label("loss_reason")),
        (_("Source"), _label("source")), (_("Amount"), _attr("amount")),
        (_("Currency"), _attr("currency")),
        (_("Amount in base currency"), _attr("amount_base")),
        (_("Created on"), _attr("created_on")), (_("Closed on"), _attr("closed_on")),
        (_("Techniques"), _techniques),
    ], ("owner", "customer"), prefetch_related=("techniques",)),
    "activities": Export(Activity, [
        EXTERNAL, (_("Rep"), _person("owner")), (_("Customer"), _attr("customer.name")),
        (_("Deal"), _attr("deal.name")), (_("Kind"), _label("kind")),
        (_("Date"), _attr("date")), (_("Outcome"), _label("outcome")),
        (_("Notes"), _attr("notes")),
    ], ("owner", "customer", "deal")),
    "surveys": Export(SurveyResponse, [
        EXTERNAL, (_("Survey"), _attr("kind")), (_("Score"), _attr("score")),
        (_("Comment"), _attr("comment")), (_("Date"), _attr("responded_on")),
        (_("Channel"), _label("channel")), (_("Customer"), _attr("customer.name")),
        (_("Deal"), _attr("deal.name")), (_("Rep"), _person("rep")),
    ], ("rep", "customer", "deal")),
    "complaints": Export(Complaint, [
        EXTERNAL, (_("Customer"), _attr("customer.name")), (_("Deal"), _attr("deal.name")),
        (_("Rep"), _person("rep")), (_("Opened"), _attr("opened_at")),
        (_("Resolved"), _attr("resolved_at")), (_("Severity"), _label("severity")),
        (_("Category"), _label("category")), (_("Status"), _label("status")),
        (_("Description"), _attr("description")),
        (_("Resolution notes"), _attr("resolution_notes")),
    ], ("rep", "customer", "deal")),
    "reps": Export(Member, [
        EXTERNAL, (_("Name"), _attr("name")), (_("Email"), _attr("email")),
        (_("Role"), _label("role")), (_("Team"), _attr("team.name")),
        (_("Manager"), _manager),
    ], ("team__manager", "team__parent__manager"), ("name", "pk")),
}  # fmt: skip


def neutralise(value: str) -> str:
    """Text a spreadsheet would run as a formula is stored as text instead."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> Any:
    """A value as an export writes it: ISO dates, plain decimals, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        # Full precision when there is any, so a re-import matches the same record.
        local = timezone.localtime(value)
        return local.strftime("%Y-%m-%d %H:%M" if not local.second and not local.microsecond
                              else "%Y-%m-%d %H:%M:%S.%f" if local.microsecond
                              else "%Y-%m-%d %H:%M:%S")  # fmt: skip
    if isinstance(value, date | Decimal | int):
        return value
    return str(value)


def export_queryset(kind: str, member: Member, queryset: QuerySet[Any] | None = None) -> Any:
    """The rows `member` may export: the list page's filtered queryset, or all they see."""
    spec = EXPORTS[kind]
    qs = queryset if queryset is not None else spec.model.objects.visible_to(member)
    if queryset is None:
        qs = qs.order_by(*spec.order)
    return qs.select_related(*spec.select_related).prefetch_related(*spec.prefetch_related)


def rows(kind: str, queryset: Any) -> Iterator[list[Any]]:
    spec = EXPORTS[kind]
    yield [str(header) for header, _get in spec.columns]
    getters = [get for _header, get in spec.columns]
    for obj in queryset.iterator(chunk_size=2000):
        yield [cell(get(obj)) for get in getters]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(kind: str, queryset: Any) -> Iterator[str]:
    """CSV text, one line at a time (for a streaming response). UTF-8 with a BOM
    so Excel reads accents right."""
    writer = csv.writer(_Echo())
    prefix = "\ufeff"
    for row in rows(kind, queryset):
        yield prefix + writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])
        prefix = ""


def write_csv(kind: str, queryset: Any, out: IO[str]) -> int:
    """Write the CSV to `out`; returns the number of records."""
    count = -1
    for line in csv_lines(kind, queryset):
        out.write(line)
        count += 1
    return count


def write_xlsx(kind: str, queryset: Any, out: IO[bytes]) -> int:
    """An XLSX written in openpyxl's write-only mode (rows streamed to disk)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=kind[:31])
    count = -1
    for row in rows(kind, queryset):
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                # openpyxl would store "=..." as a formula: force a text cell.
                text_cell = WriteOnlyCell(sheet, value=value)
                text_cell.data_type = "s"
                cells.append(text_cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    book.save(out)  # type: ignore[arg-type]
    return count


def xlsx_file(kind: str, queryset: Any) -> IO[bytes]:
    """The workbook in a temporary file (spilled to disk past 8 MB), rewound."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(kind, queryset, out)  # type: ignore[arg-type]
    out.seek(0)
    return out  # type: ignore[return-value]
