"""Home page per role, and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from rumbo.sales.selectors import home_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    member = getattr(request, "member", None)
    if member is None:
        return redirect("signup")
    return render(request, "web/home.html", {"figures": home_figures(member=member)})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 with a small JSON body when the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
