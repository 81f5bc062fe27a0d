"""`rumbo org create SLUG --name NAME --currency CODE --admin EMAIL`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.tenancy.models import Organization
from rumbo.tenancy.services import organization_create


class Command(BaseCommand):
    help = "Manage organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation with its admin.")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--currency", required=True)
        create.add_argument("--admin", required=True, help="the admin's email")
        create.add_argument("--admin-name", default="")
        create.add_argument("--language", default="en", choices=["en", "es"])
        create.add_argument("--time-zone", default="UTC")
        create.add_argument("--independent", action="store_true")
        sub.add_parser("list", help="List organisations.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for org in Organization.objects.order_by("slug"):
                self.stdout.write(f"{org.slug}\t{org.name}\t{org.currency}\t{org.language}")
            return
        try:
            org, member = organization_create(
                slug=options["slug"], name=options["name"],
                currency=options["currency"].upper(), admin_email=options["admin"],
                admin_name=options["admin_name"], language=options["language"],
                time_zone=options["time_zone"], independent=options["independent"],
            )  # fmt: skip
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(problems) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {org.slug} ({org.name}, {org.currency}); admin {member.email}."
            )
        )
        if member.user and not member.user.has_usable_password():
            self.stdout.write("Set the admin's password with: rumbo changepassword " + member.email)
