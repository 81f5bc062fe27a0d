"""The import pages (admins only): upload → mapping (automatic, correctable) →
check (counts to create / update / leave unchanged, and every problem) →
import, with a background job whose progress the page polls (htmx)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.imports import jobs, selectors
from rumbo.imports.exports import neutralise
from rumbo.imports.forms import AliasForm, MappingForm, UploadForm
from rumbo.imports.kinds import KINDS
from rumbo.imports.models import ImportJob, ImportStatus
from rumbo.imports.saved import mapping_save
from rumbo.sales.choices import Outcome, Stage
from rumbo.tenancy.http import MemberRequest

RUNNING = (ImportStatus.READING, ImportStatus.VALIDATING, ImportStatus.APPLYING)


def _admin(request: MemberRequest) -> None:
    member = getattr(request, "member", None)
    if member is None or not member.is_admin:
        raise PermissionDenied


def _job(request: MemberRequest, pk: int) -> ImportJob:
    _admin(request)
    return get_object_or_404(selectors.jobs_for(request.member), pk=pk)


@login_required
def job_list(request: MemberRequest) -> HttpResponse:
    _admin(request)
    jobs_page = selectors.jobs_for(request.member)[:50]
    return render(request, "imports/job_list.html", {"jobs": jobs_page, "form": UploadForm()})


@login_required
@require_POST
def job_create(request: MemberRequest) -> HttpResponse:
    _admin(request)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.job_create(
                actor=request.member, kind=form.cleaned_data["kind"], upload=upload,
                file_name=upload.name, preset=form.cleaned_data["preset"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return HttpResponseRedirect(reverse("imports:job_detail", args=[job.pk]))
    jobs_page = selectors.jobs_for(request.member)[:50]
    return render(request, "imports/job_list.html", {"jobs": jobs_page, "form": form}, status=400)


STAGE_OPTIONS = [
    ("prospecting", Stage.PROSPECTING.label), ("qualification", Stage.QUALIFICATION.label),
    ("proposal", Stage.PROPOSAL.label), ("negotiation", Stage.NEGOTIATION.label),
    ("won", Outcome.WON.label), ("lost", Outcome.LOST.label),
]  # fmt: skip


def _suggestions(job: ImportJob) -> list[dict[str, object]]:
    """Problems an alias can fix, once per spelling and column, with the values
    to choose from: the closest names, or every stage or choice of the field."""
    fields = {f.name: f for f in KINDS[job.kind].fields}
    seen, result = set(), []
    for problem in job.problems:
        key = (problem["column"], problem["value"])
        field = fields.get(job.mapping.get(problem["column"], ""))
        if key in seen or not problem["value"] or field is None:
            continue
        options: list[tuple[str, object]] = [(s, s) for s in problem.get("suggestions", [])]
        if field.type in ("stage", "outcome"):
            options = STAGE_OPTIONS  # type: ignore[assignment]
        elif field.type == "choice":
            options = [(str(label), label) for _value, label in field.arg.choices]
        if options:
            seen.add(key)
            result.append({**problem, "options": options})
    return result[:50]


@login_required
def job_detail(request: MemberRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    mapping_form = MappingForm(
        request.POST or None, kind=job.kind, mapping=job.mapping, header=job.header
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check":
                if not mapping_form.is_valid():
                    raise ValidationError(_("Choose a field for each column, or leave it out."))
                jobs.job_set_mapping(actor=request.member, job=job, mapping=mapping_form.chosen())
                if mapping_form.cleaned_data.get("save_mapping"):
                    mapping_save(actor=request.member, kind=job.kind, mapping=job.mapping)
                jobs.job_start(actor=request.member, job=job, apply=False)
            elif action == "import":
                jobs.job_start(actor=request.member, job=job, apply=True)
            elif action == "sheet":
                sheet = request.POST.get("sheet", "")
                jobs.job_set_sheet(actor=request.member, job=job, sheet=sheet)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("imports:job_detail", args=[job.pk]))
    open_to_change = job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED,
                                    ImportStatus.REJECTED)  # fmt: skip
    return render(request, "imports/job_detail.html", {
        "job": job, "mapping_form": mapping_form, "running": job.status in RUNNING,
        "editable": open_to_change and bool(job.mapping),
        "sheet_choice": open_to_change and len(job.sheets) > 1,
        "suggestions": _suggestions(job), "alias_form": AliasForm(),
        "kind_label": KINDS[job.kind].label,
    })  # fmt: skip


@login_required
def job_progress(request: MemberRequest, pk: int) -> HttpResponse:
    """The progress panel, polled by htmx while the job runs; once it is over it
    asks the page to reload (HX-Refresh) to show the outcome."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if job.status not in RUNNING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_problems(request: MemberRequest, pk: int) -> HttpResponseBase:
    """Every problem of the last check, as CSV."""
    job = _job(request, pk)
    path = Path(job.problems_path) if job.problems_path else None
    if path is not None and path.is_file():
        return FileResponse(path.open("rb"), as_attachment=True, filename=f"problems-{job.pk}.csv",
                            content_type="text/csv")  # fmt: skip
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("row"), _("column"), _("value"), _("problem"), _("suggestions")])
    for p in job.problems:
        cells = [p["column"], p["value"], p["reason"], "; ".join(p.get("suggestions", []))]
        writer.writerow([p["row"], *(neutralise(c) for c in cells)])
    return response


@login_required
@require_POST
def alias_from_problem(request: MemberRequest) -> HttpResponse:
    _admin(request)
    job = _job(request, int(request.POST.get("job", 0) or 0))
    form = AliasForm(request.POST)
    if form.is_valid():
        try:
            jobs.alias_from_problem(actor=request.member, job=job, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            alias = f"{form.cleaned_data['spelling']} → {form.cleaned_data['target']}"
            messages.success(
                request, _("Saved: %(alias)s. Check the file again.") % {"alias": alias}
            )
    return HttpResponseRedirect(reverse("imports:job_detail", args=[job.pk]))
