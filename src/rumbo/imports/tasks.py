"""Background jobs of imports (Huey): a file is checked and imported by a worker
while the page polls its progress."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from rumbo.imports.jobs import job_run


@db_task()
def run_import_job(job_id: int, apply: bool) -> None:
    job_run(job_id, apply)
