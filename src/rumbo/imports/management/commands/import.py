"""`rumbo import KIND FILE --org SLUG [--preset NAME] [--sheet NAME] [--dry-run]`.

Exit status 0 when the file is imported (or, with --dry-run, would be), 1 when
anything is rejected; each problem is printed as `row N, column C: reason`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.imports.columns import PRESETS
from rumbo.imports.kinds import KINDS
from rumbo.imports.pipeline import Problem
from rumbo.imports.selectors import org_admin
from rumbo.imports.services import import_file


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
    help = "Import a CSV or XLSX file of one kind into an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--preset", default="generic", choices=list(PRESETS))
        parser.add_argument("--sheet", default="", help="the workbook's sheet (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = org_admin(options["org"])
        if actor is None:
            raise CommandError(f"No organisation {options['org']!r} with an active admin.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        progress = None if options["quiet"] else Progress(sys.stderr)

        def show(problem: Problem) -> None:
            self.stdout.write(problem.line())

        try:
            result = import_file(
                actor=actor, kind=options["kind"], path=path, file_name=path.name,
                preset=options["preset"], dry_run=options["dry_run"], sheet=options["sheet"],
                on_problem=show,
                on_progress=progress,
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        finally:
            if progress is not None:
                progress.close()
        if result.unmapped:
            self.stderr.write("Columns left out: " + ", ".join(result.unmapped))
        summary = (f"{result.rows} rows: {result.created} to create, {result.updated} to update, "
                   f"{result.unchanged} unchanged")  # fmt: skip
        if not result.ok:
            count = result.problem_count
            problems = f"{count} problem" if count == 1 else f"{count} problems"
            self.stderr.write(f"{summary}; {problems}. Nothing was written.")
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(f"{summary}. Dry run: nothing was written.")
        else:
            done = (f"Imported {result.rows} rows: {result.created} created, {result.updated} "
                    f"updated, {result.unchanged} unchanged.")  # fmt: skip
            self.stdout.write(self.style.SUCCESS(done))
