"""A whole CRM export folder in one go (`rumbo import FOLDER`): the kind of
each CSV/XLSX file from its name and header, the files in dependency order
(the deals of a file name the customers of another), and all or nothing.

Why one outer transaction around the files rather than "check all, then apply
all": a file is checked against the records the files before it create (a deal
names a customer the accounts file brings), so each file is applied before the
next is checked; any problem in any file rolls back every file. A dry run is
the same run, rolled back at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.imports import columns as cols
from rumbo.imports.kinds import KINDS
from rumbo.imports.pipeline import Problem
from rumbo.imports.reading import FileRefused, open_table
from rumbo.imports.saved import mapping_with, saved_mapping
from rumbo.imports.services import ImportResult, import_file
from rumbo.imports.values import fold
from rumbo.tenancy.models import Member

# The order the kinds are imported in: each names only records of kinds before it.
ORDER = ("reps", "customers", "contacts", "products", "techniques", "rates", "deals",
         "activities", "surveys", "complaints")  # fmt: skip
SUFFIXES = (".csv", ".xlsx")
# Words a file's name uses for its kind (folded: lower case, no accents, "_" as space).
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "reps": ("rep", "reps", "sales team", "sales teams", "team", "teams", "salespeople",
             "sellers", "users", "employees", "members", "staff", "owners", "agents",
             "vendedores", "comerciales", "equipo", "equipos"),
    "customers": ("customer", "customers", "account", "accounts", "company", "companies",
                  "organization", "organizations", "organisation", "organisations", "client",
                  "clients", "clientes", "cuentas", "empresas"),
    "contacts": ("contact", "contacts", "contactos"),
    "products": ("product", "products", "items", "catalog", "catalogue", "productos",
                 "articulos"),
    "techniques": ("technique", "techniques", "tecnicas"),
    "rates": ("rate", "rates", "exchange rates", "currencies", "fx", "tipos de cambio"),
    "deals": ("deal", "deals", "opportunity", "opportunities", "pipeline", "sales",
              "sales pipeline", "negocios", "oportunidades", "ventas"),
    "activities": ("activity", "activities", "tasks", "calls", "meetings", "actividades"),
    "surveys": ("survey", "surveys", "responses", "nps", "csat", "encuestas"),
    "complaints": ("complaint", "complaints", "tickets", "cases", "quejas", "reclamaciones"),
}  # fmt: skip


@dataclass
class FolderFile:
    """One file of the folder: its kind (None: not recognised) and its result."""

    path: Path
    kind: str | None = None
    header: list[str] = field(default_factory=list)
    result: ImportResult | None = None
    problem: str = ""  # why the file was not imported, when its result does not say
    checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problem and (self.result is None or self.result.ok)


@dataclass
class FolderResult:
    files: list[FolderFile] = field(default_factory=list)
    applied: bool = False
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and all(f.ok for f in self.files)


def kind_by_name(name: str) -> str | None:
    """The kind a file's name says (`sales_teams.csv`: reps), the longest word winning."""
    stem = f" {fold(Path(name).stem)} "
    found = [(len(word), kind) for kind, words in NAME_WORDS.items() for word in words
             if f" {word} " in stem]  # fmt: skip
    return max(found)[1] if found else None


def kind_of(*, actor: Member, name: str, header: list[str]) -> str | None:
    """The kind of a file: the one its name says (a column it lacks is then
    reported, and `--map` names it), else the one whose fields its header
    covers best."""
    named = kind_by_name(name)
    if named is not None:
        return named
    fits: dict[str, int] = {}
    for kind, spec in KINDS.items():
        mapping = cols.auto_map(spec, header, "generic", saved_mapping(actor, kind))
        if not cols.missing_required(spec, mapping):
            fits[kind] = sum(len(indexes) for indexes in mapping.columns.values())
    if not fits:
        return None
    best = max(fits.values())
    winners = [kind for kind, score in fits.items() if score == best]
    return winners[0] if len(winners) == 1 else None


class _RolledBack(Exception):
    """Leaves the folder's transaction, undoing every file."""


def folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def folder_import(
    *,
    actor: Member,
    folder: Path,
    dry_run: bool = False,
    maps: dict[str, str] | None = None,
    on_problem: Callable[[FolderFile, Problem], None] | None = None,
    before_file: Callable[[], None] | None = None,
) -> FolderResult:
    """Import every CSV/XLSX file of `folder` for the actor's organisation, in
    ORDER; all files or none. A file whose kind is not recognised, or any problem
    in any file, writes nothing from any file; the files after a refused one are
    not checked (their references may be in it). `maps` (header -> field, the
    `--map` flags) applies to each file with that header whose kind has that
    field, and is saved for the organisation like a file's own mapping."""
    result = FolderResult()
    for path in folder_files(folder):
        item = FolderFile(path=path)
        result.files.append(item)
        try:
            table = open_table(path, path.name)
        except FileRefused as exc:
            item.problem = exc.message
            continue
        close = getattr(table.rows, "close", None)
        if close is not None:
            close()
        item.header = table.header
        item.kind = kind_of(actor=actor, name=path.name, header=table.header)
        if item.kind is None:
            item.problem = _("Its kind is not recognised from its name or its columns; "
                             "import it alone with `rumbo import KIND FILE`.")  # fmt: skip
    if not result.files:
        result.problem = _("The folder has no CSV or XLSX file.")
    unused = set(maps or {}) - {h for f in result.files for h in f.header}
    if unused and result.ok:
        result.problem = _("No file has the column %(column)s.") % {"column": sorted(unused)[0]}
    if not result.ok:
        return result
    result.files.sort(key=lambda f: (ORDER.index(f.kind or ""), f.path.name))
    try:
        with transaction.atomic():
            for item in result.files:
                assert item.kind is not None
                if before_file is not None:
                    before_file()  # e.g. aliases naming what an earlier file created
                sink = None if on_problem is None else _sink(on_problem, item)
                fields = {f.name for f in cols.mappable(KINDS[item.kind])}
                chosen = {h: k for h, k in (maps or {}).items() if h in item.header and k in fields}
                mapping = mapping_with(actor=actor, kind=item.kind, header=item.header,
                                       chosen=chosen) if chosen else None  # fmt: skip
                item.result = import_file(actor=actor, kind=item.kind, path=item.path,
                                          file_name=item.path.name, mapping=mapping,
                                          on_problem=sink)  # fmt: skip
                item.checked = True
                if not item.result.ok:
                    raise _RolledBack
            if dry_run:
                raise _RolledBack
    except _RolledBack:
        for item in result.files:
            if item.result is not None:
                item.result.applied = False
        return result
    result.applied = True
    return result


def _sink(
    on_problem: Callable[[FolderFile, Problem], None], item: FolderFile
) -> Callable[[Problem], None]:
    return lambda problem: on_problem(item, problem)
