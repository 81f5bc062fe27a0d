"""The site's URLs plus one view whose query runs for a second, to see the
statement timeout of web requests at work (tests/web/test_limits.py)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def slow(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("done")


urlpatterns = [path("slow/", slow), path("api/v1/slow", slow), path("", include("rumbo.urls"))]
