"""`rumbo currency --org SLUG --to CODE [--rate R] [--convert]`: change an
organisation's base currency from the command line (ADR 0013).

The same service as the settings page: refused while money is recorded unless
`--convert` is given, which converts every amount at `--rate` (1 old = R new;
without it, derived from the stored rates) and writes the audit entry. Unlike a
web request it runs with no statement time limit, for an organisation too large
to convert within one (docs/operations.md). The rollups are rebuilt before it
returns, so the figures are true with no worker running."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.metrics.services import metrics_rebuild
from rumbo.tenancy.currency import Conversion, money_recorded
from rumbo.tenancy.models import CURRENCY_CHOICES, AuditEntry, Member, Organization, Role
from rumbo.tenancy.services import organization_update


class Command(BaseCommand):
    help = "Change an organisation's base currency, converting every amount."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--to", required=True, choices=[c for c, _l in CURRENCY_CHOICES])
        parser.add_argument("--rate", help="1 unit of the current base = RATE units of the new")
        parser.add_argument("--convert", action="store_true",
                            help="confirm: convert every recorded amount")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        actor = (
            Member.objects.select_related("organization")
            .filter(organization__slug=options["org"], role=Role.ADMIN, is_active=True)
            .order_by("id")
            .first()
        )
        if actor is None:
            raise CommandError(f"No organisation {options['org']!r} with an active admin.")
        rate = None
        if options["rate"]:
            try:
                rate = Decimal(options["rate"])
            except InvalidOperation as exc:
                raise CommandError(f"Not a rate: {options['rate']!r}.") from exc
        organization = Organization.objects.get(pk=actor.organization_id)
        old, new = organization.currency, options["to"]
        converting = old != new and bool(money_recorded(organization))
        organization.currency = new
        conversion = Conversion(rate=rate, confirmed=True) if options["convert"] else None
        try:
            organization_update(actor=actor, organization=organization, conversion=conversion)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if converting:
            metrics_rebuild(organization=organization)
            entry = AuditEntry.objects.filter(organization=organization, action="convert")
            self.stdout.write(self.style.SUCCESS(entry.order_by("-at", "-id")[0].summary))
        else:
            self.stdout.write(self.style.SUCCESS(f"{organization.slug}: {old} -> {new}"))
