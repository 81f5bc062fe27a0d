"""The 403, 404 and 500 pages (handler403/404/500 in rumbo.urls).

Pages answer inside the layout, translated, with the navigation when somebody
is signed in. The REST API keeps answering JSON (`{"detail": ...}`) for the
same errors, including a path under /api/ that names no operation. The 500
page reads nothing: it renders without the request's context processors (no
session, member or message lookups), so it still shows when the database is
down."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _api(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("api-1.0.0:api-root"))


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return HttpResponse(loader.render_to_string("403.html", {}, request), status=403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return HttpResponse(loader.render_to_string("404.html", {}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Something went wrong on our side.")}, status=500)
    # No request: the context processors would read the session and the member.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
