"""Figures are fresh when an import returns: `rumbo metrics show` right after
`rumbo import`, or after an import job of the page or the API, gives the
imported figures with no worker running and no `rumbo metrics rebuild`.

Huey is switched out of immediate mode here, so nothing queued ever runs:
the refresh a write schedules is lost, as it is with no worker."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from rumbo.imports.jobs import job_create, job_run
from rumbo.imports.models import ImportJob, ImportStatus
from rumbo.metrics import services

pytestmark = pytest.mark.django_db

CUSTOMERS = "Name,Owner\nFresh Alpha,Rita\nFresh Beta,Nina\n"
DEALS = """External id,Name,Owner,Customer,Stage,Amount,Closed on,Created on
F-1,Deal 1,Rita,Fresh Alpha,won,1200.50,2024-03-04,2024-02-01
F-2,Deal 2,Nina,Fresh Beta,won,830.25,2024-05-06,2024-04-01
F-3,Deal 3,Rita,Fresh Beta,lost,999.00,2024-06-07,2024-05-01
F-4,Deal 4,Nina,Fresh Alpha,won,15000.00,2024-07-08,2024-06-01
F-5,Deal 5,Rita,Fresh Alpha,won,42.10,2024-11-30,2024-11-01
"""


@pytest.fixture(autouse=True)
def no_worker() -> Iterator[None]:
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = False
    yield
    HUEY.immediate = previous


def _expected_revenue() -> dict[str, float]:
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(DEALS)):
        if row["Stage"] == "won":
            revenue[row["Owner"]] += Decimal(row["Amount"])
    return {rep: float(total) for rep, total in revenue.items()}


def _revenue_by_rep() -> dict[str, float]:
    out = StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "revenue", "--from",
                 "2024-01-01", "--to", "2024-12-31", "--by", "rep", "--format", "json",
                 stdout=out)  # fmt: skip
    return {row["rep"]: float(row["value"]) for row in json.loads(out.getvalue())
            if row["value"]}  # fmt: skip


def _import(tmp_path: Path, kind: str, text: str) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import", kind, str(path), "--org", "acme", "--quiet", stdout=StringIO())


@pytest.mark.parametrize("few_keys", [services.FEW_KEYS, 0], ids=["refresh", "rebuild"])
def test_metrics_show_right_after_the_import_command_gives_the_files_revenue(  # type: ignore[no-untyped-def]
    world, tmp_path, monkeypatch, few_keys
) -> None:  # fmt: skip
    # few_keys 0: every import counts as a large share of the data (a rebuild).
    monkeypatch.setattr(services, "FEW_KEYS", few_keys)
    assert _revenue_by_rep() == {}  # asked before: nothing yet (and maybe cached)
    _import(tmp_path, "customers", CUSTOMERS)
    _import(tmp_path, "deals", DEALS)
    assert _revenue_by_rep() == pytest.approx(_expected_revenue(), abs=0.005)
    # A second file changing one amount shows at once too (an incremental refresh).
    _import(tmp_path, "deals", DEALS.replace("15000.00", "16000.00"))
    expected = _expected_revenue()
    expected["Nina"] += 1000
    assert _revenue_by_rep() == pytest.approx(expected, abs=0.005)


def test_an_import_job_is_done_with_its_figures_fresh(world) -> None:  # type: ignore[no-untyped-def]
    alice = world.members["alice"]
    for kind, text in (("customers", CUSTOMERS), ("deals", DEALS)):
        job = job_create(actor=alice, kind=kind, upload=io.BytesIO(text.encode()),
                         file_name=f"{kind}.csv")  # fmt: skip
        job_run(job.pk, True)
        assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    assert _revenue_by_rep() == pytest.approx(_expected_revenue(), abs=0.005)
