"""The export link of each list page: the list's own filters and sort, through
`visible_to(request.member)`, as CSV (streamed) or XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from rumbo.imports.exports import EXPORTS, csv_lines, export_queryset, xlsx_file
from rumbo.tenancy.http import MemberRequest
from rumbo.web.crud import Resource, sort_queryset


def list_resources() -> dict[str, Resource]:
    """The list page behind each export kind (its filters are the export's)."""
    from rumbo.sales.views import RESOURCES
    from rumbo.tenancy.views import members

    return {**RESOURCES, "reps": members}


def filtered(kind: str, request: MemberRequest) -> Any:
    resource = list_resources().get(kind)
    if resource is None:
        return export_queryset(kind, request.member)
    qs = resource.queryset(request.member)
    if resource.filterset_class:
        filterset = resource.filterset_class(request.GET, queryset=qs, member=request.member)
        qs = filterset.qs if filterset.is_valid() else qs.none()
    qs, _sort = sort_queryset(qs, resource, request.GET.get("sort", ""))
    if not qs.query.order_by:
        qs = qs.order_by("pk")
    return export_queryset(kind, request.member, qs)


@login_required
def export_view(request: MemberRequest, kind: str) -> HttpResponseBase:
    if kind not in EXPORTS or getattr(request, "member", None) is None:
        raise Http404
    qs = filtered(kind, request)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        return FileResponse(xlsx_file(kind, qs), as_attachment=True,
                            filename=f"{kind}-{stamp}.xlsx")  # fmt: skip
    response = StreamingHttpResponse(csv_lines(kind, qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.csv"'
    return response
