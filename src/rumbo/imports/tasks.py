"""Background jobs of imports (Huey): a file is checked and imported by a worker
while the page polls its progress; old uploads are deleted every night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rumbo.imports.jobs import job_files_purge, job_read, job_run


@db_task()
def read_import_job(job_id: int, sheet: str, check: bool) -> None:
    job_read(job_id, sheet, check)


@db_task()
def run_import_job(job_id: int, apply: bool) -> None:
    job_run(job_id, apply)


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_old_import_files() -> None:
    job_files_purge()
