"""Writes of the metrics engine: rebuild an organisation's rollups, queue the
(rep, day) keys a write touched, and refresh the queued keys.

Every rollup write holds a per-organisation lock (an advisory lock on
PostgreSQL; SQLite already runs one writer at a time), so a refresh never
interleaves with a rebuild or another refresh of the same organisation."""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.metrics import inline, registry, rollups
from rumbo.metrics.models import DirtyKey, RollupDay, ScorecardMetric
from rumbo.metrics.signals import rollups_refreshed
from rumbo.tenancy.models import AuditEntry, Member, Organization, Role
from rumbo.tenancy.services import figures_changed

LOCK_CLASS = 4004  # first half of the advisory lock key; the organisation id is the second
# Queued keys no refresh has claimed yet: NULL, or the negative ticket of their write.
WAITING = Q(batch__isnull=True) | Q(batch__lt=0)
# How a rebuild's transaction plans on PostgreSQL (see metrics_rebuild).
PLANNER = [
    "enable_hashagg = off", "enable_hashjoin = off", "max_parallel_workers_per_gather = 0",
    "random_page_cost = 1.1",
]  # fmt: skip
# Memory of a rebuild's transaction on PostgreSQL: the window over every won deal
# (first purchases) and the months' hash aggregate sort and hash in memory
# instead of spilling to disk, and a first build re-creates its indexes in one
# pass. Rollups are derived data: their commit need not wait for the disk.
MEMORY = ["work_mem = '256MB'", "maintenance_work_mem = '512MB'", "synchronous_commit = off"]
# How a refresh's transaction plans on PostgreSQL (see metrics_refresh_pending).
REFRESH = [
    "jit = off", "work_mem = '64MB'", "enable_hashjoin = off", "enable_mergejoin = off",
    "max_parallel_workers_per_gather = 0",
]  # fmt: skip


def _plan(settings: list[str]) -> None:
    """Planner settings for the rest of the transaction (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(f"SET LOCAL {setting}")


def _lock(organization_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, organization_id])


@dataclass(frozen=True)
class RebuildResult:
    """Rows written (inserted or changed) and deleted per table."""

    first_rows: int
    day_rows: int
    month_rows: int
    deleted: int = 0


def metrics_rebuild(*, organization: Organization) -> RebuildResult:
    """Recompute all of an organisation's rollups from the source rows, in one
    transaction, writing only what differs. Idempotent: a second run writes nothing."""
    with transaction.atomic():
        _lock(organization.pk)
        # Every statement of a rebuild reads its inputs in key order (the sources
        # by their (organisation, rep, day) indexes, the rollups by their primary
        # keys): stream them through group and merge steps instead of hashing
        # millions of rows whose group counts the planner cannot estimate.
        _plan(PLANNER + MEMORY)
        # Keys queued before now are covered by this rebuild: their facts are committed.
        DirtyKey.objects.filter(WAITING, organization_id=organization.pk).delete()
        firsts = [rollups.write_firsts(f, organization, None) for f in registry.FIRSTS.values()]
        days = rollups.write_days(organization, None)
        _plan(["enable_hashagg TO DEFAULT"])  # months group by a truncated day: hash them
        months = rollups.write_months(organization, None)
        _plan([f"{setting.split(' ')[0]} TO DEFAULT" for setting in PLANNER])
        figures_changed(organization_id=organization.pk)
    deleted = sum(w.deleted for w in [*firsts, days, months])
    return RebuildResult(sum(w.rows for w in firsts), days.rows, months.rows, deleted)


def _as_day(value: Any, tz: zoneinfo.ZoneInfo) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value, tz).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def metrics_mark_changed(
    *, organization_id: int, keys: Iterable[tuple[Any, Any]], sources: Iterable[str] | None = None
) -> int:
    """Queue (member id, date or timestamp) keys for a refresh, in the caller's
    transaction, and once it commits hand them to the background refresh
    (`tasks.refresh_metrics`). `sources` names the registered sources the write
    can have changed (None: all). Timestamps count on their local date in the
    organisation's time zone. Returns the keys queued.

    The keys carry the negative of a ticket (`batch`), which the task claims:
    it refreshes exactly this write's keys, for this write's sources. A task
    that never runs (a crash, a lost queue) leaves them waiting for the sweep or
    `rumbo metrics refresh`, which claim every waiting key for every source."""
    found = {(m, d) for m, d in keys if m is not None and d is not None}
    if not found:
        return 0
    tz_name = (
        Organization.objects.filter(pk=organization_id).values_list("time_zone", flat=True).get()
    )
    tz = zoneinfo.ZoneInfo(tz_name)
    unique = {(int(m), _as_day(d, tz)) for m, d in found}
    ticket = secrets.randbits(62) + 1
    DirtyKey.objects.bulk_create(
        DirtyKey(organization_id=organization_id, member_id=m, day=d, batch=-ticket)
        for m, d in sorted(unique)
    )
    chosen = None if sources is None else sorted(set(sources))
    # A page's write: its request refreshes these keys before answering (ADR 0019).
    inline.note(organization_id, ticket, chosen)

    def schedule() -> None:
        from rumbo.metrics.tasks import refresh_metrics

        refresh_metrics(organization_id, ticket, chosen)

    # Robust: a queue that cannot take the task (Redis down) must not fail the
    # write that already committed; its keys stay waiting for the sweep.
    transaction.on_commit(schedule, robust=True)
    return len(unique)


def metrics_refresh_pending(
    *, organization_id: int, ticket: int | None = None, sources: Iterable[str] | None = None
) -> int:
    """Recompute the rollups of queued keys of the organisation: the rep-days
    from the source rows, then the rep-months holding them. With a `ticket`,
    only the keys of that write, from the `sources` it named (None: all);
    without, every waiting key from every source. Returns the number of
    rep-days refreshed (0 when nothing was queued)."""
    with transaction.atomic():
        _lock(organization_id)
        waiting = DirtyKey.objects.filter(organization_id=organization_id)
        if ticket is not None:
            # The write's keys already form a batch of their own (-ticket): under
            # the lock nobody else refreshes them, so they need no claiming.
            batch = -ticket
            if not waiting.filter(batch=batch).exists():
                return 0  # a sweep or a rebuild took them first
        else:
            batch = secrets.randbits(62)
            if not waiting.filter(WAITING).update(batch=batch):
                return 0
        chosen = _sources(None if ticket is None else sources)
        # A refresh reads few rows of big tables: compiling its statements (JIT,
        # which the planner turns on for big tables) costs more than running them;
        # the months of ten thousand keys aggregate in memory, not on disk; and
        # its joins probe indexes for the batch's keys: the planner, which cannot
        # tell how many keys a batch holds, would hash or sort a whole table
        # instead (all first purchases: 0.5 s of a 2 s refresh). Nor are
        # parallel workers worth starting for so few rows.
        _plan(REFRESH)
        organization = Organization.objects.get(pk=organization_id)
        extra: set[tuple[int, date]] = set()
        for key, first in registry.FIRSTS.items():
            if chosen is None or key in chosen:
                extra |= rollups.refresh_firsts(first, organization, batch)
        if extra:
            DirtyKey.objects.bulk_create(
                DirtyKey(organization_id=organization_id, member_id=m, day=d, batch=batch)
                for m, d in sorted(extra)
            )
        keys = DirtyKey.objects.filter(batch=batch).values("member_id", "day").distinct().count()
        touched = DirtyKey.objects.filter(batch=batch).values_list("member_id", flat=True)
        members = sorted(set(touched))
        rollups.write_days(organization, batch, chosen)
        month_batch = secrets.randbits(62)
        rollups.queue_months(batch, month_batch)
        rollups.write_months(organization, month_batch)
        DirtyKey.objects.filter(batch__in=[batch, month_batch]).delete()
        _plan([f"{setting.split(' ')[0]} TO DEFAULT" for setting in REFRESH])
        figures_changed(organization_id=organization_id)
    rollups_refreshed.send(sender=None, organization_id=organization_id, member_ids=members)
    return keys


def _sources(named: Iterable[str] | None) -> frozenset[str] | None:
    """The registered sources to recompute; None when that is all of them."""
    if named is None:
        return None
    every = {*registry.SOURCES, *registry.FIRSTS}
    chosen = frozenset(named) & every
    return None if chosen == every else chosen


def metrics_refresh_waiting() -> int:
    """Refresh every organisation's waiting keys (the sweep behind the tasks).
    Returns the rep-days refreshed."""
    organizations = (
        DirtyKey.objects.filter(WAITING).values_list("organization_id", flat=True).distinct()
    )
    return sum(metrics_refresh_pending(organization_id=org) for org in sorted(organizations))


# Below this many queued keys a refresh is quick whatever the organisation's size.
FEW_KEYS = 1_000


def refresh_now(*, organization_id: int) -> int:
    """Bring the organisation's rollups up to date with every write committed so
    far, in this process, before returning: what a command or an import job
    calls once its writes are in, so that the figures it leaves are true with no
    worker running (the task each write queued finds its keys gone and does
    nothing). The queued keys are refreshed incrementally, unless they are a
    large share of the rollups (a first import, a file as big as what is
    there): then a rebuild, which loads or compares the whole tables in a few
    set-based statements, is cheaper than probing the keys one index at a time.
    Moves the figures version on, so no cached figure is served. Returns the
    rep-days queued before."""
    waiting = DirtyKey.objects.filter(WAITING, organization_id=organization_id).count()
    if not waiting:
        return 0
    # "Twice as many rollup rows as keys?" probes one row at an offset: no count
    # of an organisation holding millions of rep-days.
    few_rows = (
        not RollupDay.objects.filter(organization_id=organization_id)
        .order_by()[2 * waiting : 2 * waiting + 1]
        .exists()
    )
    if waiting > FEW_KEYS and few_rows:
        queued = DirtyKey.objects.filter(WAITING, organization_id=organization_id)
        members = sorted(set(queued.values_list("member_id", flat=True)))
        metrics_rebuild(organization=Organization.objects.get(pk=organization_id))
        # As a refresh of these keys would: their goals follow the new figures.
        rollups_refreshed.send(sender=None, organization_id=organization_id, member_ids=members)
    else:
        metrics_refresh_pending(organization_id=organization_id)
    return waiting


def metrics_schedule_rebuild(*, organization: Organization) -> None:
    """Rebuild the organisation's rollups in the background once the caller's
    transaction commits (e.g. after its time zone changed, which moves every
    timestamp-based fact to another local day)."""
    from rumbo.metrics.tasks import rebuild_metrics

    organization_id = organization.pk
    transaction.on_commit(lambda: rebuild_metrics(organization_id), robust=True)


# The balanced scorecard's configuration.


@dataclass(frozen=True)
class ScorecardLine:
    """One metric of a scorecard as an admin enters it."""

    metric: str
    weight: Decimal
    target: Decimal


MAX_WEIGHT, MAX_TARGET = Decimal(1000), Decimal(10) ** 13


def scorecard_validate(lines: Sequence[ScorecardLine]) -> dict[str, list[str]]:
    """Problems per line and field (`"2.weight"`), or for the whole (`"__all__"`)."""
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["__all__"] = [_("Choose at least one metric.")]
    seen: set[str] = set()
    for i, line in enumerate(lines):
        metric = registry.get_metric(line.metric)
        if metric is None:
            errors[f"{i}.metric"] = [_("Choose a metric.")]
        elif not metric.additive:
            errors[f"{i}.metric"] = [_("%(metric)s is computed from the records and cannot be "
                                       "in a scorecard.") % {"metric": metric.label}]  # fmt: skip
        elif line.metric in seen:
            errors[f"{i}.metric"] = [_("%(metric)s is already in the scorecard.")
                                     % {"metric": metric.label}]  # fmt: skip
        seen.add(line.metric)
        if not 0 < line.weight <= MAX_WEIGHT:
            errors[f"{i}.weight"] = [_("The weight must be more than 0 and at most 1000.")]
        if not 0 < line.target < MAX_TARGET:
            errors[f"{i}.target"] = [_("The target must be more than 0.")]
    return errors


def scorecard_update(*, actor: Member, lines: Sequence[ScorecardLine]) -> list[ScorecardMetric]:
    """Replace the organisation's scorecard with `lines` (in that order). Admins
    only (PermissionDenied otherwise); invalid lines raise ValidationError keyed
    by line and field, and nothing is written. One audit entry."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied
    errors = scorecard_validate(lines)
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    org_id = actor.organization_id
    with transaction.atomic():
        ScorecardMetric.objects.filter(organization_id=org_id).delete()
        rows = ScorecardMetric.objects.bulk_create(
            ScorecardMetric(organization_id=org_id, metric=line.metric, weight=line.weight,
                            target=line.target, position=i)
            for i, line in enumerate(lines)
        )  # fmt: skip
        figures_changed(organization_id=org_id)
        AuditEntry.objects.create(
            organization_id=org_id, actor=actor, action="update",
            model=ScorecardMetric._meta.label_lower, object_id=str(org_id),
            summary="scorecard",
            changes={"lines": [{"metric": line.metric, "weight": str(line.weight),
                                "target": str(line.target)}
                               for line in lines]},
        )  # fmt: skip
    return rows
