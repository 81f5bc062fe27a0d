"""`rumbo notifications digest [--day YYYY-MM-DD] [--org SLUG]`: send the email
digest now (the background job sends it every morning on its own)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.notifications.digest import digest_send
from rumbo.tenancy.models import Organization


class Command(BaseCommand):
    help = "Send the notifications email digest."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        digest = actions.add_parser(
            "digest", help="email each user their unread notifications not emailed yet"
        )
        digest.add_argument("--day", help="only notifications made for this day or before")
        digest.add_argument("--org", help="only this organisation (slug)")
        digest.add_argument(
            "--weekly",
            action="store_true",
            help="also people who chose a weekly digest (the job: on Mondays)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"Not a date (YYYY-MM-DD): {options['day']!r}") from exc
        organization_ids = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"No organisation {options['org']!r}.")
            organization_ids = [org.pk]
        sent = digest_send(day=day, organization_ids=organization_ids, weekly=options["weekly"])
        self.stdout.write(f"{sent} digest email(s) sent.")
