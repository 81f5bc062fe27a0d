"""`rumbo export KIND --org SLUG [--format csv|xlsx] [--output FILE]`: every
record of a kind, as the organisation's admin sees them, in a file the import
reads back as it is."""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rumbo.imports.exports import EXPORTS, export_queryset, write_csv, write_xlsx
from rumbo.imports.selectors import org_admin


class Command(BaseCommand):
    help = "Export the records of one kind of an organisation as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(EXPORTS))
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--format", default="", choices=["", "csv", "xlsx"])
        parser.add_argument("--output", default="", help="file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = org_admin(options["org"])
        if actor is None:
            raise CommandError(f"No organisation {options['org']!r} with an active admin.")
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
        timezone.activate(zoneinfo.ZoneInfo(actor.organization.time_zone))
        queryset = export_queryset(options["kind"], actor)
        if fmt == "xlsx":
            if not output:
                raise CommandError("Give --output FILE for an XLSX export.")
            with Path(output).open("wb") as fh:
                count = write_xlsx(options["kind"], queryset, fh)
        elif output:
            with Path(output).open("w", encoding="utf-8", newline="") as fh:
                count = write_csv(options["kind"], queryset, fh)
        else:
            count = write_csv(options["kind"], queryset, self.stdout)  # type: ignore[arg-type]
        if output:
            sys.stderr.write(f"Exported {count} {options['kind']} to {output}.\n")
