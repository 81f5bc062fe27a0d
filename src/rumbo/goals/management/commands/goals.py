"""`rumbo goals recompute --org SLUG [--day DATE]` records the organisation's
goals for a day (default: its today), which tells the owners of goals that
turned at risk or off track (`remind` is the same, kept for old scripts). The
scheduled job records every hour. `rumbo goals backtest --org
SLUG` replays the organisation's own history (goals it could have set on past
months, quarters and years, forecast part-way through) and prints how often
goals given each probability were met (docs/goals.md)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rumbo.goals.progress import goals_recompute, local_today
from rumbo.metrics.models import RollupDay
from rumbo.tenancy.models import Organization


class Command(BaseCommand):
    help = "Record goals' progress for a day (owners hear of goals that fell behind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recompute", "remind", "backtest"])
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--day", type=dt.date.fromisoformat,
                            help="YYYY-MM-DD (default: the organisation's today)")  # fmt: skip
        parser.add_argument(
            "--seed",
            type=int,
            default=16,
            help="backtest: the seed of the targets drawn (same seed, same table)",
        )
        parser.add_argument("--by-metric", action="store_true",
                            help="backtest: also a table per period and metric")  # fmt: skip
        parser.add_argument("--sellers", type=int, default=500,
                            help="backtest: at most this many sellers, at random")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(_("No organisation with the slug %(slug)s.") % {
                "slug": options["org"]})  # fmt: skip
        day = options["day"] or local_today(organization)
        if options["action"] == "backtest":
            self._backtest(organization, day, options)
            return
        started = time.perf_counter()
        recorded = goals_recompute(organization=organization, day=day)
        seconds = time.perf_counter() - started
        self.stdout.write(ngettext("%(n)s goal recorded for %(day)s in %(s).1f s.",
                                   "%(n)s goals recorded for %(day)s in %(s).1f s.", recorded)
                          % {"n": recorded, "day": day, "s": seconds})  # fmt: skip

    def _backtest(self, organization: Organization, day: dt.date, options: dict[str, Any]) -> None:
        from rumbo.goals.backtest import organization_ledgers, periods, replay, tables

        started = time.perf_counter()
        rows = RollupDay.objects.filter(organization=organization, day__lt=day)
        span = rows.aggregate(first=Min("day"), last=Max("day"))
        if span["first"] is None:
            raise CommandError(_("No figures to replay: the organisation has no records yet."))
        first, last = span["first"], span["last"]
        ledgers = organization_ledgers(organization.pk, first, last, sellers=options["sellers"],
                                       seed=options["seed"])  # fmt: skip
        pairs = replay(ledgers, periods(span["first"], span["last"]), seed=options["seed"])
        lines, _within = tables(pairs, by_metric=options["by_metric"])
        if not lines:
            raise CommandError(_("Too little history to replay: a goal needs six months of "
                                 "figures before it starts."))  # fmt: skip
        self.stdout.write(_("%(org)s: %(n)s sellers, figures from %(first)s to %(last)s, "
                            "replayed in %(s).1f s.") % {
            "org": organization.slug, "n": len(ledgers), "first": span["first"],
            "last": span["last"], "s": time.perf_counter() - started})  # fmt: skip
        self.stdout.write("\n".join(lines))
