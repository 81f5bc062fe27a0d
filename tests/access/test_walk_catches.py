"""The walk is not vacuous: break the access rules on purpose and it says so.

Each test widens one read or write path (a monkeypatched queryset or
permission check, no database mocking) and walks the affected pages or
operations, expecting the mismatch in the report."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from rumbo.tenancy import scoping
from rumbo.web import api_helpers, crud
from tests.access import checks
from tests.access import test_api_walk as api_walk
from tests.access import test_pages_walk as page_walk
from tests.personas import World

pytestmark = pytest.mark.django_db


def _organisation_wide(self, member):  # type: ignore[no-untyped-def]
    """A queryset that forgets everything but the organisation."""
    return self.model._default_manager.filter(organization_id=member.organization_id)


def _got(report: checks.Report) -> set[tuple[str, str, str]]:
    return {(o.method, o.url, o.got) for o in report.outcomes}


def test_a_page_showing_a_colleagues_record_is_caught(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(crud.Resource, "queryset", _organisation_wide)
    report = page_walk.walk(world, "rita", only={"sales:deal_detail", "sales:deal_list"})
    sofia_deal = world.records["sofia"].deal.pk
    assert ("GET", f"/deals/{sofia_deal}/", "200") in _got(report)
    assert ("GET", "/deals/", "shows “Sofia deal”") in _got(report)


def test_an_api_operation_reading_a_colleagues_record_is_caught(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(api_helpers.ApiResource, "queryset", _organisation_wide)
    only = {"GET /api/v1/deals", "GET /api/v1/deals/{id}"}
    report = api_walk.walk(world, "nina", "token", only=only)
    rita_deal = world.records["rita"].deal.pk
    assert ("GET", f"/api/v1/deals/{rita_deal}", "200") in _got(report)
    assert any(o.url == "/api/v1/deals" and o.got.startswith("ids") for o in report.outcomes)


def test_a_rep_changing_the_catalogue_is_caught(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scoping, "can_create", lambda member, model: True)
    report = api_walk.walk(world, "rita", "token", only={"PATCH /api/v1/products/{id}"})
    product = world.catalogue["acme"]["product"].pk
    got = _got(report)
    assert ("PATCH", f"/api/v1/products/{product}", "200") in got
    assert ("PATCH", f"/api/v1/products/{product}", "the database changed") in got


def test_an_admin_reading_a_reps_notification_is_caught(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rumbo.notifications.models import Notification, NotificationQuerySet

    # The manager's own rule (org-wide for admins) instead of "the recipient only".
    monkeypatch.setattr(NotificationQuerySet, "visible_to", scoping.ScopedQuerySet.visible_to)
    only = {"GET /api/v1/notifications", "POST /api/v1/notifications/{id}/read",
            "POST /api/v1/notifications/read-all"}  # fmt: skip
    report = api_walk.walk(world, "alice", "token", only=only)
    rita = Notification.objects.get(recipient=world.rita).pk
    got = _got(report)
    # The service still refuses the write (403), but the 404 the walk expects is gone.
    assert ("POST", f"/api/v1/notifications/{rita}/read", "403") in got
    assert ("POST", "/api/v1/notifications/read-all", "the database changed") in got
    assert ("GET", "/api/v1/notifications", "shows “Rita notification”") in got
    pages = page_walk.walk(world, "alice", only={"notifications:list"})
    assert ("GET", "/notifications/", "shows “Rita notification”") in _got(pages)


def test_inline_script_and_style_are_caught() -> None:
    page = HttpResponse(
        '<html><head><style>p{}</style><script>alert(1)</script>'
        '<script id="d" type="application/json">{}</script><script src="/a.js"></script>'
        '</head><body><p style="color:red" onclick="x()">hi</p></body></html>',
        headers={"Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'"},
    )  # fmt: skip
    assert checks.csp_problems(page) == [
        "Content-Security-Policy allows 'unsafe-inline'",
        "<style> element",
        "inline <script>",
        "style= attribute on <p>",
        "inline handler onclick= on <p>",
    ]
    assert checks.csp_problems(HttpResponse("<p>ok</p>")) == ["no Content-Security-Policy header"]
