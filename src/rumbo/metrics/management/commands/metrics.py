"""`rumbo metrics rebuild|refresh|show --org SLUG ...`.

- rebuild: recompute all of the organisation's rollups from the source rows
  (idempotent; set-based SQL).
- refresh: recompute the keys still queued (after a crash, or a job left undone).
- show: a metric for a period, optionally grouped, as a table or JSON (a list of
  rows, each with the group's name under the key named by --by, and `value`).

The command acts as the organisation's first active admin, so it sees everything."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rumbo.metrics import registry
from rumbo.metrics.evaluation import GROUPINGS, Scope
from rumbo.metrics.periods import check_period
from rumbo.metrics.selectors import evaluate
from rumbo.metrics.services import metrics_rebuild, metrics_refresh_pending
from rumbo.tenancy.models import Member, Role


def _admin(slug: str) -> Member:
    member = (
        Member.objects.select_related("organization")
        .filter(organization__slug=slug, role=Role.ADMIN, is_active=True)
        .order_by("id")
        .first()
    )
    if member is None:
        raise CommandError(f"No organisation {slug!r} with an active admin.")
    return member


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from exc


def _number(value: Decimal | None) -> int | float | None:
    """JSON numbers: integers stay integers; decimals of two places print as typed."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Command(BaseCommand):
    help = "Rebuild, refresh or show the metrics of an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="recompute every rollup from the source")
        rebuild.add_argument("--org", required=True, help="the organisation's slug")
        refresh = actions.add_parser("refresh", help="recompute the keys still queued")
        refresh.add_argument("--org", required=True)
        show = actions.add_parser("show", help="a metric for a period")
        show.add_argument("--org", required=True)
        show.add_argument("--metric", required=True, help="the metric's key (see --list)")
        show.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        show.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default today)")
        show.add_argument("--by", choices=GROUPINGS, help="group by rep, team, week or month")
        show.add_argument("--scope", default="org", help="org, team:ID or rep:ID")
        show.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _admin(options["org"])
        if options["action"] == "rebuild":
            started = time.monotonic()
            result = metrics_rebuild(organization=actor.organization)
            self.stdout.write(
                f"Rebuilt in {time.monotonic() - started:.1f} s: {result.day_rows:,} rep-day and "
                f"{result.month_rows:,} rep-month rows and {result.first_rows:,} first purchases "
                f"written, {result.deleted:,} rows deleted (rows that did not change are kept)."
            )
        elif options["action"] == "refresh":
            done = metrics_refresh_pending(organization_id=actor.organization_id)
            self.stdout.write(f"Refreshed {done:,} rep-days.")
        else:
            self._show(actor, options)

    def _show(self, actor: Member, options: dict[str, Any]) -> None:
        metric = registry.get_metric(options["metric"])
        if metric is None:
            known = ", ".join(m.key for m in registry.all_metrics())
            raise CommandError(f"No metric {options['metric']!r}. Known: {known}.")
        end = _date(options["end"]) if options["end"] else timezone.localdate()
        by = options["by"]
        try:
            check_period(start=end, end=end, first="--to")
            start = _date(options["start"]) if options["start"] else end - timedelta(days=89)
            check_period(start=start, end=end, group_by=by, first="--from", last="--to")
        except ValidationError as exc:
            raise CommandError(
                " ".join(f"{name if name != 'by' else '--by'}: {' '.join(messages)}"
                         for name, messages in exc.message_dict.items())
            ) from exc  # fmt: skip
        try:
            scope = Scope.parse(options["scope"])
        except ValueError as exc:
            raise CommandError("--scope is org, team:ID or rep:ID.") from exc
        result = evaluate(actor=actor, metric=metric, scope=scope, start=start, end=end,
                          group_by=by)  # fmt: skip
        if options["format"] == "json":
            rows = [{**({by: row.name} if by else {}), "value": _number(row.value)}
                    for row in result.rows]  # fmt: skip
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{metric.label} ({metric.unit}), {start} – {end}")
        width = max([len(row.name) for row in result.rows] + [len(by or "")])
        if by:
            self.stdout.write(f"{by:<{width}}  value")
        for row in result.rows:
            shown = "—" if row.value is None else f"{row.value:,}"
            self.stdout.write(f"{row.name:<{width}}  {shown}" if by else shown)
