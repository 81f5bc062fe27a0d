"""`rumbo goals recompute --org SLUG [--day DATE]` records the organisation's
goals for a day (default: its today); `rumbo goals remind` also sends the day's
reminders. The scheduled job does both every hour."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rumbo.goals.progress import goals_recompute, local_today
from rumbo.goals.reminders import goal_reminders_send
from rumbo.tenancy.models import Organization


class Command(BaseCommand):
    help = "Record goals' progress for a day, and send reminders for goals behind pace."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recompute", "remind"])
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--day", type=dt.date.fromisoformat,
                            help="YYYY-MM-DD (default: the organisation's today)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(_("No organisation with the slug %(slug)s.") % {
                "slug": options["org"]})  # fmt: skip
        day = options["day"] or local_today(organization)
        started = time.perf_counter()
        recorded = goals_recompute(organization=organization, day=day)
        seconds = time.perf_counter() - started
        self.stdout.write(ngettext("%(n)s goal recorded for %(day)s in %(s).1f s.",
                                   "%(n)s goals recorded for %(day)s in %(s).1f s.", recorded)
                          % {"n": recorded, "day": day, "s": seconds})  # fmt: skip
        if options["action"] == "remind":
            sent = goal_reminders_send(organization=organization, day=day)
            self.stdout.write(ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent)
                              % {"n": sent})  # fmt: skip
