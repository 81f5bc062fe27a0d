"""`rumbo demo [--if-empty] [--size normal|large] [--seed N] [--scale F]`:
deterministic demo data (see docs/demo.md)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.demo.setup import DEMO_PASSWORD, DemoLogin, today_in


class Command(BaseCommand):
    help = "Fill the database with deterministic demo organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing when the demo organisation already exists.",
        )  # fmt: skip
        parser.add_argument("--size", choices=["normal", "large"], default="normal")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Multiply the number of customers and deals (and reps for --size large).",
        )  # fmt: skip
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None,
            help="Pretend today is this date (YYYY-MM-DD), to rebuild the same data later.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        today = options["today"] or today_in()
        started = time.monotonic()
        if options["size"] == "large":
            logins = self._large(options, today)
        else:
            logins = self._normal(options, today)
        if logins is None:
            return
        self._rebuild_rollups(sorted({login.organization for login in logins}))
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s."))
        self._print_logins(logins)

    def _normal(self, options: dict[str, Any], today: dt.date) -> list[DemoLogin] | None:
        from rumbo.demo.normal import build_normal, demo_exists, existing_logins

        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already present; nothing to do.")
                self._print_logins(existing_logins())
                return None
            raise CommandError(
                "The demo organisations already exist. Use --if-empty, or start from an "
                "empty database."
            )
        self.stdout.write(f"Building the demo (seed {options['seed']}, today {today})…")
        return build_normal(seed=options["seed"], scale=options["scale"], today=today)

    def _large(self, options: dict[str, Any], today: dt.date) -> list[DemoLogin] | None:
        from rumbo.demo.large import LARGE_SLUG, build_large, large_exists

        if large_exists():
            if options["if_empty"]:
                self.stdout.write(f"The {LARGE_SLUG!r} organisation already exists; nothing to do.")
                return None
            raise CommandError(f"The {LARGE_SLUG!r} organisation already exists.")
        return build_large(
            seed=options["seed"], scale=options["scale"], today=today, out=self.stdout.write
        )

    def _rebuild_rollups(self, slugs: list[str]) -> None:
        """The bulk load bypasses the services, so no refresh was queued: build
        the metrics rollups once, so dashboards show figures right away."""
        from rumbo.metrics.services import metrics_rebuild
        from rumbo.tenancy.models import Organization

        for organization in Organization.objects.filter(slug__in=slugs).order_by("slug"):
            started = time.monotonic()
            result = metrics_rebuild(organization=organization)
            self.stdout.write(
                f"Metrics of {organization.slug!r} built in {time.monotonic() - started:.1f} s "
                f"({result.day_rows:,} rep-days)."
            )

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        self.stdout.write(f"Log in with password {DEMO_PASSWORD!r}:")
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.role.ljust(width)}  {login.email}  ({login.name}, {login.organization})"
            )
