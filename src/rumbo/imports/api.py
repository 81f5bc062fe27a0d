"""API operations for imports under /api/v1/imports (admins only): upload a file
as a job, check it, import it, read its status and its problems. The job runs
in the background, through the same pipeline as the page and the command."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from rumbo.imports import jobs, saved, selectors
from rumbo.imports.models import ImportJob
from rumbo.tenancy.models import Member
from rumbo.web.api_helpers import CREATE_ERRORS, READ_ERRORS, WRITE_ERRORS, actor_of

router = Router(tags=["imports"])


class JobOut(Schema):
    id: int
    kind: str
    preset: str
    file_name: str
    status: str
    rows_total: int
    rows_done: int
    created: int
    updated: int
    unchanged: int
    problem_count: int
    mapping: dict[str, str]
    sheet: str
    sheets: list[str]
    message: str
    created_at: datetime
    finished_at: datetime | None


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    reason: str
    suggestions: list[str]


class ProblemsOut(Schema):
    count: int
    problems: list[ProblemOut]


class CheckIn(Schema):
    """Header -> field corrections of the automatic mapping (optional)."""

    mapping: dict[str, str] | None = None


# Reads are admin-only: a non-admin gets 403 (another organisation's job: 404).
ADMIN_READ_ERRORS = {**READ_ERRORS, 403: READ_ERRORS[401]}


def _admin(request: HttpRequest) -> Member:
    actor = actor_of(request)
    if not actor.is_admin:
        raise PermissionDenied
    return actor


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    actor = _admin(request)
    return get_object_or_404(selectors.jobs_for(actor), pk=job_id)


@router.get(
    "",
    operation_id="imports_list",
    response={200: list[JobOut], **ADMIN_READ_ERRORS},
)
def list_jobs(request: HttpRequest) -> list[ImportJob]:
    """The organisation's latest imports."""
    return list(selectors.jobs_for(_admin(request))[:100])


@router.post("", operation_id="imports_create", response={201: JobOut, **CREATE_ERRORS})
def create_job(
    request: HttpRequest,
    kind: Form[str],
    file: File[UploadedFile],
    preset: Form[str] = "generic",
    check: Form[bool] = True,
    sheet: Form[str] = "",
    map: Form[str] = "",
    aliases: Form[str] = "",
) -> Status:
    """Upload a file as an import job (status `reading`: the file is read in the
    background); with `check` (the default) its check follows at once. A
    workbook is read from `sheet` (a name; default the first sheet; a sheet it
    lacks rejects the job, naming the sheets there are). Poll the job until its
    status is `validated` (then apply it) or `rejected` (then read its
    problems); without `check`, until it is `uploaded`.

    `map` (a JSON object, header -> field key, as `rumbo import KIND --fields`
    lists the keys) says what columns hold; it is saved as the organisation's
    mapping, as the page saves it. `aliases` (a JSON list of
    `KIND:SPELLING=TARGET`, e.g. `["stage:Discovery=qualification",
    "country:Holand=NL", "product:Widget Pro=Widget Pro 2"]`) saves aliases
    before the file is checked. A bad key, kind or target is refused (422,
    naming `map` or `aliases`) and nothing is saved."""
    actor = _admin(request)
    chosen, alias_texts = _json_choices(map, aliases)
    with transaction.atomic():
        saved.choices_save(actor=actor, kind=kind, chosen=chosen, aliases=alias_texts)
        job = jobs.job_create(actor=actor, kind=kind, upload=file, file_name=file.name or "upload",
                              preset=preset, sheet=sheet, check=check)  # fmt: skip
    return Status(201, job)


def _json_choices(map_text: str, aliases_text: str) -> tuple[dict[str, str], list[str]]:
    """The `map` and `aliases` form fields, read from JSON."""
    try:
        chosen = json.loads(map_text) if map_text.strip() else {}
    except ValueError:
        chosen = None
    if not isinstance(chosen, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in chosen.items()
    ):
        raise ValidationError({"map": _('Give a JSON object of column -> field key, e.g. '
                                        '{"Owner Name": "owner_id"}.')})  # fmt: skip
    try:
        texts = json.loads(aliases_text) if aliases_text.strip() else []
    except ValueError:
        texts = None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValidationError({"aliases": _('Give a JSON list of "KIND:SPELLING=TARGET", e.g. '
                                            '["stage:Discovery=qualification"].')})  # fmt: skip
    return chosen, texts


@router.get(
    "/{id}",
    operation_id="imports_retrieve",
    response={200: JobOut, **ADMIN_READ_ERRORS},
)
def read_job(request: HttpRequest, id: int) -> ImportJob:
    """An import's status, progress and counts."""
    return _job(request, id)


@router.get(
    "/{id}/problems",
    operation_id="imports_problems",
    response={200: ProblemsOut, **ADMIN_READ_ERRORS},
)
def read_problems(request: HttpRequest, id: int) -> dict[str, object]:
    """The problems of the last check (the first 1,000; `count` says how many)."""
    job = _job(request, id)
    return {"count": job.problem_count, "problems": job.problems}


@router.post("/{id}/check", operation_id="imports_check", response={202: JobOut, **WRITE_ERRORS})
def check_job(request: HttpRequest, id: int, payload: CheckIn) -> Status:
    """Check the file again (after aliases were saved, or with a corrected mapping)."""
    job = _job(request, id)
    actor = actor_of(request)
    if payload.mapping is not None:
        jobs.job_set_mapping(actor=actor, job=job, mapping=payload.mapping)
    jobs.job_start(actor=actor, job=job, apply=False)
    job.refresh_from_db()
    return Status(202, job)


@router.post("/{id}/apply", operation_id="imports_apply", response={202: JobOut, **WRITE_ERRORS})
def apply_job(request: HttpRequest, id: int) -> Status:
    """Import a checked file (status `validated`): all rows, in one transaction."""
    job = _job(request, id)
    jobs.job_start(actor=actor_of(request), job=job, apply=True)
    job.refresh_from_db()
    return Status(202, job)
