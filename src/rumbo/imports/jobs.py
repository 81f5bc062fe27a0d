"""Services for import jobs (the page and the API): store an upload, set its
mapping, run it in the background and record its progress, counts and
problems. The rows themselves go through `services.import_file`, exactly as
the command line's do."""

from __future__ import annotations

import csv
import logging
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from rumbo.imports import columns as cols
from rumbo.imports.exports import neutralise
from rumbo.imports.kinds import KINDS
from rumbo.imports.models import ImportJob, ImportStatus
from rumbo.imports.pipeline import Problem
from rumbo.imports.reading import FileRefused, open_table
from rumbo.imports.saved import saved_mapping
from rumbo.imports.services import import_file
from rumbo.tenancy.models import AuditEntry, Member

logger = logging.getLogger(__name__)
# Progress is written at most this often (rows), so the job row is not hammered.
PROGRESS_ROWS = 20_000
# A job in these states is being read, checked or imported, or is over.
BUSY = (ImportStatus.READING, ImportStatus.VALIDATING, ImportStatus.APPLYING, ImportStatus.DONE)


def _check(actor: Member, kind: str, preset: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied
    if kind not in KINDS:
        raise ValidationError(
            {"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}}
        )
    if preset not in cols.PRESETS:
        raise ValidationError({"preset": _("Choose a known preset.")})


def job_create(
    *,
    actor: Member,
    kind: str,
    upload: IO[bytes],
    file_name: str,
    preset: str = "generic",
    sheet: str = "",
    check: bool = False,
) -> ImportJob:
    """Store the upload (refusing it past the size limit while it streams in)
    and queue the job that reads it: its header (a workbook's from `sheet`,
    else from its first sheet) and the automatic mapping, then, with `check`,
    the check. The request never opens the file: a workbook is parsed by the
    worker only (a small XLSX can expand to gigabytes in memory)."""
    _check(actor, kind, preset)
    folder = Path(settings.IMPORT_ROOT) / str(actor.organization_id) / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    name = get_valid_filename(Path(file_name).name) or "upload"
    path = folder / name
    size = 0
    with path.open("wb") as out:
        for chunk in iter(lambda: upload.read(1 << 20), b""):
            size += len(chunk)
            if size > settings.IMPORT_MAX_BYTES:
                out.close()
                path.unlink()
                limit = settings.IMPORT_MAX_BYTES // 1_048_576
                message = _("The file is larger than %(limit)s MB.") % {"limit": limit}
                raise ValidationError({"file": message})
            out.write(chunk)
    job = ImportJob(organization_id=actor.organization_id, created_by=actor, kind=kind,
                    preset=preset, file_name=file_name[:255], file_path=str(path),
                    file_size=size, sheet=sheet[:100], status=ImportStatus.READING)  # fmt: skip
    with transaction.atomic():
        job.save()
        AuditEntry.objects.create(
            organization_id=actor.organization_id, actor=actor, action="upload",
            model="imports.importjob", object_id=str(job.pk), summary=str(job)[:255],
        )  # fmt: skip
    _queue_read(job, sheet, check)
    return job


def _queue_read(job: ImportJob, sheet: str, check: bool) -> None:
    from rumbo.imports.tasks import read_import_job

    job_id = job.pk
    transaction.on_commit(lambda: read_import_job(job_id, sheet, check))


def job_read(job_id: int, sheet: str, check: bool) -> None:
    """Read a stored file's header (in the worker), in its author's language;
    with `check`, then check it at once, as `job_start` would."""
    job = ImportJob.objects.select_related("created_by__organization", "created_by__user").get(
        pk=job_id
    )
    actor = job.created_by
    if actor is None or not actor.is_active:
        _run(job, actor, apply=False)  # records why it cannot go on
        return
    user = actor.user
    with translation.override((user.language if user else "") or actor.organization.language):
        _read_header(job, actor, sheet)
        job.created = job.updated = job.unchanged = 0
        if check and job.status == ImportStatus.UPLOADED:
            job.status, job.rows_done = ImportStatus.VALIDATING, 0
        job.save()
        if job.status == ImportStatus.VALIDATING:
            _run(job, actor, apply=False)


def _read_header(job: ImportJob, actor: Member, sheet: str) -> None:
    """The header (of `sheet`, for a workbook) and its automatic mapping, or the
    reason the file cannot be read (a sheet the workbook lacks included: the
    problem names the sheets there are)."""
    path = Path(job.file_path)
    try:
        table = open_table(path, path.name, sheet)
    except FileRefused as exc:
        job.status = ImportStatus.REJECTED
        job.problem_count = 1
        job.problems = [Problem(exc.row or 0, "", "", exc.message).as_dict()]
        return
    mapping = cols.auto_map(KINDS[job.kind], table.header, job.preset,
                            saved_mapping(actor, job.kind))  # fmt: skip
    job.mapping = mapping.as_json()
    job.header = list(table.header)
    job.rows_total = table.estimated_rows
    job.sheets, job.sheet = table.sheets, table.sheet
    job.status, job.problem_count, job.problems = ImportStatus.UPLOADED, 0, []
    _close(table.rows)


def job_set_sheet(*, actor: Member, job: ImportJob, sheet: str) -> ImportJob:
    """Queue the reading of another sheet of the workbook: its header, mapped
    afresh; the last check's counts and problems no longer apply."""
    if not actor.is_admin or job.organization_id != actor.organization_id:
        raise PermissionDenied
    if job.status in BUSY:
        raise ValidationError(_("This import is already running or done."))
    if sheet not in job.sheets:
        raise ValidationError({"sheet": _("Choose one of the workbook's sheets.")})
    if not job.file_path or not Path(job.file_path).is_file():
        raise ValidationError(_("This import's file is no longer kept; upload it again."))
    job.status = ImportStatus.READING
    job.save(update_fields=["status"])
    _queue_read(job, sheet, check=False)
    return job


def _close(rows: Any) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def job_set_mapping(*, actor: Member, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """The user's corrections: header -> field ("" leaves a column out)."""
    if not actor.is_admin or job.organization_id != actor.organization_id:
        raise PermissionDenied
    fields = {f.name for f in cols.mappable(KINDS[job.kind])}
    job.mapping = {h: (mapping.get(h, "") if mapping.get(h, "") in fields else "")
                   for h in job.mapping}  # fmt: skip
    job.save(update_fields=["mapping"])
    return job


def job_start(*, actor: Member, job: ImportJob, apply: bool) -> ImportJob:
    """Queue the job: a check (counts and problems, nothing written) or, once a
    check found no problem, the import itself."""
    if not actor.is_admin or job.organization_id != actor.organization_id:
        raise PermissionDenied
    if job.status == ImportStatus.READING:
        raise ValidationError(_("The file is still being read; try again in a moment."))
    if job.status in BUSY:
        raise ValidationError(_("This import is already running or done."))
    if not job.file_path or not Path(job.file_path).is_file():
        raise ValidationError(_("This import's file is no longer kept; upload it again."))
    if apply and job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("Check the file first; it imports once it has no problems."))
    job.status = ImportStatus.APPLYING if apply else ImportStatus.VALIDATING
    job.rows_done = 0
    job.save(update_fields=["status", "rows_done"])
    from rumbo.imports.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job(job.pk, apply))
    return job


def job_run(job_id: int, apply: bool) -> None:
    """Run a queued job (in the worker): every problem goes to the problems CSV,
    the first ones onto the job row with the counts, in its author's language."""
    job = ImportJob.objects.select_related("created_by__organization", "created_by__user").get(
        pk=job_id
    )
    actor = job.created_by
    if actor is not None:
        user = actor.user
        with translation.override((user.language if user else "") or actor.organization.language):
            _run(job, actor, apply)
        return
    _run(job, actor, apply)


def _run(job: ImportJob, actor: Member | None, apply: bool) -> None:
    job_id = job.pk
    if actor is None or not actor.is_active:
        message = _("Its author is no longer active.")
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, message=message)
        return
    problems_path = Path(job.file_path).with_suffix(".problems.csv")

    def progress(done: int, total: int) -> None:
        if done == total or done % PROGRESS_ROWS == 0:
            ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    with problems_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([_("row"), _("column"), _("value"), _("problem"), _("suggestions")])

        def problem(p: Problem) -> None:
            cells = [p.column, p.value, p.reason, "; ".join(p.suggestions)]
            writer.writerow([p.row, *(neutralise(c) for c in cells)])

        try:
            result = import_file(
                actor=actor, kind=job.kind, path=Path(job.file_path), file_name=job.file_name,
                preset=job.preset, mapping=job.mapping or None, dry_run=not apply, sheet=job.sheet,
                on_problem=problem, on_progress=progress,
            )  # fmt: skip
        except Exception:  # the job must end in a state the page can show
            # The page says what to do; the log has the error (its text can
            # name server paths or database details, never shown to users).
            logger.exception("Import job %s failed", job_id)
            message = _("The import stopped on an unexpected error. Try again; if it happens "
                        "again, tell your administrator.")  # fmt: skip
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
            )
            raise
    if result.applied:
        _refresh_figures(job.organization_id)
    if result.ok:
        status = ImportStatus.DONE if result.applied else ImportStatus.VALIDATED
    else:
        status = ImportStatus.REJECTED
    ImportJob.objects.filter(pk=job_id).update(
        status=status, rows_total=result.rows, rows_done=result.rows, created=result.created,
        updated=result.updated, unchanged=result.unchanged,
        problem_count=result.problem_count, problems=[p.as_dict() for p in result.problems],
        problems_path=str(problems_path), mapping=result.mapping or job.mapping,
        finished_at=timezone.now() if result.applied else None,
    )  # fmt: skip


def _refresh_figures(organization_id: int) -> None:
    """The job shows "done" once the figures it feeds are true (the rollups of
    the keys it touched refreshed here, not by another job that may not run).
    A refresh that fails leaves the keys queued for the sweep: the rows are in."""
    from rumbo.metrics.services import refresh_now

    try:
        refresh_now(organization_id=organization_id)
    except Exception:
        logger.exception("Refreshing the figures after import job failed")


def alias_from_problem(
    *, actor: Member, job: ImportJob, column: str, spelling: str, target: str
) -> Any:
    """Save the alias a problem asks for: `spelling` in `column` means `target`
    (a record's name for a reference, a word for a catalogue value or a stage)."""
    from rumbo.imports import words
    from rumbo.imports.resolve import Resolver
    from rumbo.imports.saved import alias_save
    from rumbo.imports.values import Bad, fold

    if job.organization_id != actor.organization_id:
        raise PermissionDenied
    spec = KINDS[job.kind]
    name = job.mapping.get(column, "")
    field = next((f for f in spec.fields if f.name == name), None)
    if field is None:
        raise ValidationError(_("That column is not imported."))
    if field.type == "ref":
        try:
            record_id = Resolver(actor).find(field.arg, target)
        except Bad as exc:
            raise ValidationError(exc.reason) from exc
        return alias_save(actor=actor, kind=field.arg, spelling=spelling, record_id=record_id)
    if field.type in ("stage", "outcome"):
        value = words.STAGE_WORDS.get(fold(target))
        if value is None:
            raise ValidationError(_("Choose a stage Rumbo knows."))
        return alias_save(actor=actor, kind="stage", spelling=spelling, value=":".join(value))
    if field.type == "choice":
        choice = words.choice_words(field.arg).get(fold(target))
        if choice is None:
            raise ValidationError(_("Choose one of the offered values."))
        return alias_save(actor=actor, kind=field.name, spelling=spelling, value=choice)
    return alias_save(actor=actor, kind=field.name, spelling=spelling, value=target)


# Uploaded files and problem reports are kept this many days, then deleted
# (the job rows stay, as the history of imports).
KEEP_DAYS = 30


def job_files_purge(*, older_than_days: int = KEEP_DAYS) -> int:
    """Delete the stored files of jobs older than the retention; returns how many
    jobs lost their files."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    purged = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file_path=""):
        for name in (job.file_path, job.problems_path):
            if name:
                Path(name).unlink(missing_ok=True)
        folder = Path(job.file_path).parent
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        ImportJob.objects.filter(pk=job.pk).update(file_path="", problems_path="")
        purged += 1
    return purged
