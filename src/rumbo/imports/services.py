"""Writes of the import pipeline: run a file through parse → map → validate →
stage → apply (aliases and saved column mappings: `rumbo.imports.saved`).

Why imports bypass the per-record services (`sales.services.deal_save`, ...):
those check, validate, save and audit one record per call: a million rows would
be a million transactions and three million queries. An import instead checks
each row against the same rules in Python (`kinds.py`: won/lost deals need a
close date and a customer, `amount_base` converts with the latest rate on or
before the close date like `sales.services.rate_on`, a survey counts for the
deal's owner, ...), stages the valid rows in a temporary table (COPY on
PostgreSQL), and writes the real tables with one UPDATE and one INSERT in ONE
transaction: all rows or none. Only an admin imports (the CLI acts as the
organisation's admin), so the per-record ownership checks have nothing to
refuse; references are resolved only within the organisation. One AuditEntry
records each import (not each row)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rumbo.imports import columns as cols
from rumbo.imports.inline_lines import InlineLines, line_columns
from rumbo.imports.kinds import KINDS, Kind
from rumbo.imports.lines import ChildStage, collapse, technique_stage
from rumbo.imports.pipeline import Context, Problem, RowReader, sample
from rumbo.imports.reading import FileRefused, open_table
from rumbo.imports.resolve import Resolver
from rumbo.imports.saved import saved_mapping
from rumbo.imports.staging import Stage
from rumbo.tenancy.models import AuditEntry, Member

# Problems kept in memory for the page and the API; the sink receives every one.
KEPT_PROBLEMS = 1000
PROGRESS_EVERY = 10_000
# Fields an update rewrites even when the file has no column for them: they
# follow from the columns it has (a stage word decides stage and outcome, ...).
ALWAYS_UPDATE: dict[str, set[str]] = {
    "deals": {"stage", "outcome", "amount_base", "currency", "closed_on", "loss_reason"},
    "activities": {"owner_id"},
    "surveys": {"rep_id"},
    "complaints": {"rep_id", "status"},
}
# The (rep, day) columns of each kind whose rows feed the metrics.
FACT_KEYS: dict[str, tuple[str, str]] = {
    "deals": ("owner_id", "closed_on"),
    "activities": ("owner_id", "date"),
    "surveys": ("rep_id", "responded_on"),
    "complaints": ("rep_id", "opened_at"),
}


@dataclass
class ImportResult:
    """What happened to a file: counts, problems, and whether it was written."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Problems:
    def __init__(self, result: ImportResult, sink: Callable[[Problem], None] | None) -> None:
        self.result = result
        self.sink = sink

    def add(self, problem: Problem) -> None:
        self.result.problem_count += 1
        if len(self.result.problems) < KEPT_PROBLEMS:
            self.result.problems.append(problem)
        if self.sink is not None:
            self.sink(problem)


def import_file(
    *,
    actor: Member,
    kind: str,
    path: Path,
    file_name: str,
    preset: str = "generic",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    sheet: str = "",
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import `path` as `kind` for the actor's organisation. Every problem is
    reported; a file with any problem writes nothing. `dry_run` validates and
    counts without writing. `mapping` (header -> field) overrides the automatic
    one; otherwise the organisation's saved mapping and the preset apply. A
    workbook is read from `sheet` (by name), else from its first sheet."""
    if not actor.is_admin:
        raise PermissionDenied
    if kind not in KINDS:
        raise ValidationError(
            {"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}}
        )
    if preset not in cols.PRESETS:
        raise ValidationError(
            {"preset": _("Choose one of: %(presets)s.") % {"presets": ", ".join(cols.PRESETS)}}
        )
    spec = KINDS[kind]
    result = ImportResult(kind=kind)
    problems = _Problems(result, on_problem)
    try:
        table = open_table(path, file_name, sheet)
    except FileRefused as exc:
        problems.add(Problem(exc.row or 0, "", "", exc.message))
        return result
    if mapping is not None:
        chosen = cols.mapping_from_json(spec, table.header, mapping)
    else:
        chosen = cols.auto_map(spec, table.header, preset, saved_mapping(actor, kind))
    result.mapping, result.unmapped = chosen.as_json(), chosen.unmapped
    solo = actor.pk if actor.organization.is_independent else None  # her files: hers
    for name in cols.missing_required(spec, chosen):
        if name == "owner_id" and solo is not None:
            continue
        problems.add(Problem(1, cols.field_label(spec, name), "", _(
            "No column holds the %(field)s; name a column for it.")
            % {"field": cols.field_label(spec, name)}))  # fmt: skip
    if result.problem_count:
        return result
    ctx = Context(organization=actor.organization, resolver=Resolver(actor), owner_id=solo)
    try:
        head, rows = sample(table.rows)
    except FileRefused as exc:
        problems.add(Problem(exc.row or 0, "", "", exc.message))
        return result
    reader = RowReader(spec, chosen, ctx, head)
    if kind == "reps":
        from rumbo.imports.reps import reps_import

        return reps_import(actor=actor, reader=reader, rows=rows, result=result,
                           problems=problems, dry_run=dry_run)  # fmt: skip
    # A deal's lines (one row per line when there is a product column) and its
    # techniques are staged beside the deals and written after them (lines.py);
    # a line in the deal's own stage row (inline_lines.py).
    children: list[ChildStage] = []
    lines: InlineLines | None = None
    if kind == "deals" and "line_product" in chosen.columns:
        lines = InlineLines()
        children.append(lines)
    stage = Stage(spec, actor.organization_id, line_columns() if lines is not None else ())
    if lines is not None:
        lines.bind(stage)
    if kind == "deals" and "techniques" in chosen.columns:
        children.append(technique_stage())
    try:
        try:
            for row_no, cells in rows:
                result.rows += 1
                values, found = reader.read(row_no, cells)
                for problem in found:
                    problems.add(problem)
                if values is not None:
                    staged = reader.stage_values(values)
                    if lines is not None:
                        staged.extend(lines.values(values))
                    stage.add(row_no, staged)
                    for child in children:
                        child.add(row_no, values)
                if on_progress is not None and result.rows % PROGRESS_EVERY == 0:
                    on_progress(result.rows, max(table.estimated_rows, result.rows))
        except FileRefused as exc:
            problems.add(Problem(exc.row or 0, "", "", exc.message))
            return result
        for child in children:
            child.flush()
        if "line_product" in chosen.columns:
            folded = collapse(stage, children)
            for row, name, first in folded.conflicts:
                column = chosen.column_name(name, cols.field_label(spec, name))
                problems.add(Problem(row, column, "", _(
                    "The same deal as row %(first)s with a different %(field)s.")
                    % {"first": first, "field": cols.field_label(spec, name)}))  # fmt: skip
            amount_column = chosen.column_name("amount", cols.field_label(spec, "amount"))
            for row, first, stated, total in folded.amounts:
                problems.add(Problem(row, amount_column, str(stated), _(
                    "The deal first seen on row %(first)s has lines totalling %(total)s, not "
                    "%(stated)s; give each of its rows the deal's amount or its own line's.")
                    % {"first": first, "total": total, "stated": stated}))  # fmt: skip
            if result.problem_count:
                return result
        stage.match()
        _report_duplicates(spec, chosen, stage, problems)
        update = {f.name for f in spec.stored if f.name in chosen.columns}
        update |= ALWAYS_UPDATE.get(kind, set())
        if "line_product" in chosen.columns:
            update.add("amount")
        if "employees" in chosen.columns:  # customers: the number and the band follow from it
            update |= {"size_band", "employee_count"}
        result.created, changed, result.unchanged = stage.counts(sorted(update))
        result.updated = changed
        relined: dict[ChildStage, set[int]] = {c: c.changed_deals(stage) for c in children}
        # Deals whose own fields are the same but whose lines changed are updates too.
        lines_only: set[int] = set().union(*relined.values())
        if lines_only:
            lines_only -= stage.target_ids(sorted(update))
            more = len(lines_only)
            result.updated, result.unchanged = result.updated + more, result.unchanged - more
        if on_progress is not None:
            on_progress(result.rows, result.rows)
        if result.problem_count or dry_run:
            return result
        try:
            with transaction.atomic():
                # The keys of new and changed rows (before and after), and those of
                # the deals only whose lines changed (the same before and after): an
                # unchanged row moves no figure.
                keys = _fact_keys(
                    kind, stage, sorted(update), changed=changed, created=result.created
                ) | _deal_keys(lines_only)
                stage.apply(sorted(update), changed=changed, created=result.created)
                if spec.after_apply is not None:
                    spec.after_apply(actor, stage)
                for child in children:
                    child.apply(stage, relined[child], created=result.created)
                _audit(actor, spec, file_name, result)
                # The one place the metrics hear of imported facts (see _notify_changes).
                _notify_changes(actor.organization_id, spec, keys)
        except IntegrityError as exc:
            reason = _(
                "The database refused the import, so nothing was written; if records "
                "changed meanwhile, import the file again. (%(error)s)"
            ) % {"error": exc}
            problems.add(Problem(0, "", "", reason))
            return result
        result.applied = True
        return result
    finally:
        stage.drop()
        for child in children:
            child.drop()


def _report_duplicates(spec: Kind, chosen: cols.Mapping, stage: Stage, problems: _Problems) -> None:
    for row, first, key in stage.duplicates():
        if key == "external_id":
            column = chosen.column_name("external_id", "external_id")
            reason = _("The same external id as row %(first)s.") % {"first": first}
        else:
            column = chosen.column_name(key, cols.field_label(spec, key))
            names = ", ".join(cols.field_label(spec, k) for k in spec.natural_key)
            reason = _("The same %(names)s as row %(first)s; give each row an external id, or "
                       "remove one.") % {"names": names, "first": first}  # fmt: skip
        problems.add(Problem(row, column, "", reason))


def _fact_keys(
    kind: str,
    stage: Stage,
    update: list[str],
    *,
    changed: int = -1,
    created: int = -1,
) -> set[tuple[Any, ...]]:
    """(rep, day) keys the import touches, read before the apply: the staged keys
    of new rows, and the current and staged keys of the rows whose `update`
    fields differ (an unchanged row moves no figure). `changed` and `created`
    (the counts, when known) skip the queries that would find nothing."""
    if kind not in FACT_KEYS or (changed == 0 and created == 0):
        return set()
    from django.db import connection

    rep, day = FACT_KEYS[kind]
    s_keys = f"SELECT DISTINCT s.{rep}, s.{day} FROM {stage.table} AS s"
    with connection.cursor() as cursor:
        if changed == 0:
            cursor.execute(s_keys + " WHERE s.target_id IS NULL")
        else:
            differs = stage.changed_condition(update)
            cursor.execute(
                f"SELECT t.{rep}, t.{day} FROM {stage.target} AS t "
                f"JOIN {stage.table} AS s ON t.id = s.target_id WHERE {differs} "
                f"UNION SELECT s.{rep}, s.{day} FROM {stage.table} AS s "
                f"LEFT JOIN {stage.target} AS t ON t.id = s.target_id "
                f"WHERE s.target_id IS NULL OR {differs}"
            )
        return {row for row in cursor.fetchall() if row[1] is not None}


def _deal_keys(ids: set[int]) -> set[tuple[Any, ...]]:
    """(rep, day) keys of the deals `ids` (FACT_KEYS' columns)."""
    from rumbo.sales.models import Deal

    found: set[tuple[Any, ...]] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = Deal.objects.filter(pk__in=ordered[start : start + 500])
        found.update(chunk.values_list(*FACT_KEYS["deals"]))
    return {key for key in found if key[1] is not None}


def _notify_changes(organization_id: int, spec: Kind, keys: set[tuple[Any, ...]]) -> None:
    """THE call site that tells the metrics engine which (rep, day) keys an import
    changed: `rumbo.sales.signals.facts_changed`, sent inside the apply
    transaction, once per import, with every key (old and new) it touched.
    Looked up at run time because the signal arrived after the importer."""
    if not keys or importlib.util.find_spec("rumbo.sales.signals") is None:
        return
    signals = importlib.import_module("rumbo.sales.signals")
    signals.facts_changed.send(sender=spec.model, organization_id=organization_id, keys=keys)


def _audit(actor: Member, spec: Kind, file_name: str, result: ImportResult) -> None:
    AuditEntry.objects.create(
        organization_id=actor.organization_id, actor=actor, action="import",
        model=spec.model._meta.label_lower, object_id="",
        summary=(_("Imported %(file)s: %(created)s created, %(updated)s updated, "
                   "%(unchanged)s unchanged") % {"file": file_name, "created": result.created,
                   "updated": result.updated, "unchanged": result.unchanged})[:255],
        changes={"kind": spec.name, "file": file_name, "rows": result.rows,
                 "created": result.created, "updated": result.updated,
                 "unchanged": result.unchanged},
    )  # fmt: skip
