"""`rumbo import KIND FILE --org SLUG [--preset NAME] [--sheet NAME] [--dry-run]
[--map COLUMN=KEY]... [--alias KIND:SPELLING=TARGET]...`, `rumbo import KIND
--fields` (the keys `--map` takes) and `rumbo import FOLDER --org SLUG` (every
file of an export folder, all or nothing: `rumbo.imports.folder`).

Exit status 0 when the file is imported (or, with --dry-run, would be), 1 when
anything is rejected; each problem is printed as `row N, column C: reason`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from rumbo.imports import columns as cols
from rumbo.imports.columns import PRESETS
from rumbo.imports.folder import FolderFile, folder_import
from rumbo.imports.kinds import KINDS
from rumbo.imports.pipeline import Problem
from rumbo.imports.reading import FileRefused, open_table
from rumbo.imports.saved import alias_from_text, mapping_with
from rumbo.imports.selectors import org_admin
from rumbo.imports.services import ImportResult, import_file
from rumbo.tenancy.models import Member


class _DryRun(Exception):
    """Leaves a dry run's transaction: the flags' aliases and mapping are undone too."""


class Progress:
    """A progress bar on stderr, redrawn at most five times a second."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        share = min(1.0, done / total) if total else 1.0
        bar = "#" * int(share * 30)
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(f"\r[{bar:<30}] {share:4.0%} {done:,} rows, {rate:,.0f} rows/s")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")


class Command(BaseCommand):
    help = ("Import a CSV or XLSX file of one kind (KIND FILE), or every file of an export "
            "folder (FOLDER), into an organisation.")  # fmt: skip

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"one of {', '.join(KINDS)}; or an export folder")
        parser.add_argument("file", nargs="?")
        parser.add_argument("--org", help="the organisation's slug")
        parser.add_argument(
            "--fields",
            action="store_true",
            help="list the fields of KIND: key, label, headers recognised",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=KEY",
            help="the column COLUMN holds the field KEY (see --fields); saved",
        )
        parser.add_argument("--alias", action="append", default=[],
                            metavar="KIND:SPELLING=TARGET",
                            help="SPELLING means TARGET (e.g. stage:Discovery=qualification); "
                                 "saved before the file is checked")  # fmt: skip
        parser.add_argument("--preset", default="generic", choices=list(PRESETS))
        parser.add_argument("--sheet", default="", help="the workbook's sheet (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if options["fields"]:
            self._fields(kind)
            return
        if not options["org"]:
            raise CommandError("Name the organisation: --org SLUG.")
        actor = org_admin(options["org"])
        if actor is None:
            raise CommandError(f"No organisation {options['org']!r} with an active admin.")
        maps = self._maps(options["map"])
        if options["file"] is None and Path(kind).is_dir():
            self._folder(actor, Path(kind), maps, options)
            return
        if kind not in KINDS:
            raise CommandError(f"Unknown kind {kind!r}; use one of: {', '.join(KINDS)}.")
        if options["file"] is None:
            raise CommandError("Name the file to import: rumbo import KIND FILE --org SLUG.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if not options["dry_run"]:
            self._summary(self._import(actor, kind, path, maps, options), dry_run=False)
            return
        try:
            with transaction.atomic():
                result = self._import(actor, kind, path, maps, options)
                raise _DryRun
        except _DryRun:
            pass
        self._summary(result, dry_run=True)

    def _fields(self, kind: str) -> None:
        if kind not in KINDS:
            raise CommandError(f"Unknown kind {kind!r}; use one of: {', '.join(KINDS)}.")
        spec = KINDS[kind]
        for f in cols.mappable(spec):
            required = " (required)" if f.required else ""
            headers = ", ".join(sorted(cols.spellings(spec, f)))
            self.stdout.write(f"{f.name}\t{cols.field_label(spec, f.name)}{required}\t{headers}")

    def _maps(self, flags: list[str]) -> dict[str, str]:
        maps: dict[str, str] = {}
        for flag in flags:
            column, equals, key = flag.rpartition("=")
            if not equals or not column.strip():
                raise CommandError(f"--map {flag}: write it as COLUMN=KEY (keys: --fields).")
            maps[column.strip()] = key.strip()
        return maps

    def _aliases(self, actor: Member, flags: list[str]) -> None:
        for flag in flags:
            try:
                alias_from_text(actor=actor, text=flag)
            except ValidationError as exc:
                raise CommandError(f"--alias {flag}: " + " ".join(exc.messages)) from exc

    def _import(self, actor: Member, kind: str, path: Path, maps: dict[str, str],
                options: dict[str, Any]) -> ImportResult:  # fmt: skip
        mapping = None
        # The flags are saved together or not at all: a bad one leaves nothing behind.
        with transaction.atomic():
            self._aliases(actor, options["alias"])
            if maps:
                try:
                    header = open_table(path, path.name, options["sheet"]).header
                except FileRefused as exc:
                    raise CommandError(exc.message) from exc
                try:
                    mapping = mapping_with(actor=actor, kind=kind, header=header, chosen=maps,
                                           preset=options["preset"])  # fmt: skip
                except ValidationError as exc:
                    flags = " ".join(f"--map {c}={k}" for c, k in maps.items())
                    raise CommandError(f"{flags}: " + " ".join(exc.messages)) from exc
        progress = None if options["quiet"] else Progress(sys.stderr)

        def show(problem: Problem) -> None:
            self.stdout.write(problem.line())

        try:
            result = import_file(
                actor=actor, kind=kind, path=path, file_name=path.name, mapping=mapping,
                preset=options["preset"], dry_run=options["dry_run"], sheet=options["sheet"],
                on_problem=show,
                on_progress=progress,
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        finally:
            if progress is not None:
                progress.close()
        if result.applied:  # the figures are true when the command returns, with no worker
            from rumbo.metrics.services import refresh_now

            refresh_now(organization_id=actor.organization_id)
        if options["dry_run"]:
            self._mapping(kind, result)
        return result

    def _mapping(self, kind: str, result: ImportResult) -> None:
        spec = KINDS[kind]
        for head, name in result.mapping.items():
            if name:
                self.stdout.write(f"  {head} -> {name} ({cols.field_label(spec, name)})")
            else:
                self.stdout.write(f"  {head} -> left out")

    def _summary(self, result: ImportResult, dry_run: bool) -> None:
        if result.unmapped:
            self.stderr.write("Columns left out: " + ", ".join(result.unmapped))
        summary = (f"{result.rows} rows: {result.created} to create, {result.updated} to update, "
                   f"{result.unchanged} unchanged")  # fmt: skip
        if not result.ok:
            count = result.problem_count
            problems = f"{count} problem" if count == 1 else f"{count} problems"
            self.stderr.write(f"{summary}; {problems}. Nothing was written.")
            sys.exit(1)
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing was written.")
        else:
            done = (f"Imported {result.rows} rows: {result.created} created, {result.updated} "
                    f"updated, {result.unchanged} unchanged.")  # fmt: skip
            self.stdout.write(self.style.SUCCESS(done))

    def _folder(self, actor: Member, folder: Path, maps: dict[str, str],
                options: dict[str, Any]) -> None:  # fmt: skip
        def show(item: FolderFile, problem: Problem) -> None:
            self.stdout.write(f"{item.path.name}: {problem.line()}")

        # An alias may name a record a file of the folder creates (a product of
        # its products file, named otherwise in its deals): each flag is saved
        # before the first file read after its target exists, and one whose
        # target never appears is refused at the end, with nothing written.
        pending = list(options["alias"])

        def save_pending() -> None:
            for flag in list(pending):
                try:
                    with transaction.atomic():
                        alias_from_text(actor=actor, text=flag)
                except ValidationError:
                    continue
                pending.remove(flag)

        try:
            with transaction.atomic():
                save_pending()
                result = folder_import(actor=actor, folder=folder, dry_run=options["dry_run"],
                                       maps=maps, on_problem=show,
                                       before_file=save_pending)  # fmt: skip
                if pending:
                    self._aliases(actor, pending)  # raises, naming the first bad flag
                if options["dry_run"] or not result.ok:
                    raise _DryRun
        except _DryRun:
            pass
        if result.applied:  # as after one file: the figures are true when the command returns
            from rumbo.metrics.services import refresh_now

            refresh_now(organization_id=actor.organization_id)
        for item in result.files:
            name, kind = item.path.name, item.kind or "?"
            if item.problem:
                self.stdout.write(f"{name} ({kind}): {item.problem}")
            elif item.result is None or not item.checked:
                self.stdout.write(f"{name} ({kind}): not checked (an earlier file was refused)")
            else:
                r = item.result
                state = "ok" if r.ok else f"{r.problem_count} problem(s)"
                self.stdout.write(
                    f"{name} ({kind}): {r.rows} rows, {r.created} to create, "
                    f"{r.updated} to update, {r.unchanged} unchanged; {state}"
                )
                if r.unmapped:
                    self.stdout.write(f"  columns left out: {', '.join(r.unmapped)}")
        if result.problem:
            self.stderr.write(result.problem)
        if not result.ok:
            self.stderr.write("Nothing was written from any file.")
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {len(result.files)} files."))
