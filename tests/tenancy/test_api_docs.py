"""The API's description (OpenAPI document and docs page) and the health check."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.tenancy.api_client import API


def test_health_check_answers_when_the_database_does(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_every_operation_is_described_with_a_unique_id(db) -> None:  # type: ignore[no-untyped-def]
    document = Client().get(f"{API}/openapi.json").json()
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for path, ops in document["paths"].items():
        # Records are addressed by `id`; registry entries (metrics) by `key`.
        assert re.findall(r"\{(\w+)\}", path) in ([], ["id"], ["key"]), path
        for method, op in ops.items():
            assert op["operationId"].startswith(path.split("/")[3]), (method, path)
            if method == "get" and "{id}" not in path and "page" in str(op.get("parameters")):
                names = {p["name"] for p in op["parameters"]}
                assert {"page", "page_size", "ordering"} <= names, path
    for resource in ("customers", "deals", "rates", "surveys", "members", "teams"):
        for suffix in ("list", "create", "retrieve", "update", "delete"):
            assert f"{resource}_{suffix}" in ids


def test_docs_page_is_reachable_and_uses_no_inline_script(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    redirect = client.get("/api/docs")
    assert redirect.status_code == 302 and redirect["Location"] == f"{API}/docs"
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "<style" not in html and "cdn" not in html.lower()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


@pytest.mark.browser
def test_swagger_ui_renders_the_operations_under_the_csp(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Uses the one Chromium shared by the test process (tests/conftest.py)."""
    problems: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: problems.append(r.url)
                if not r.url.startswith(live_server.url) else None)  # fmt: skip
        page.goto(f"{live_server.url}/api/docs")
        page.wait_for_selector("#operations-deals-deals_create", timeout=20000)
        page.click("#operations-deals-deals_create .opblock-summary")
        page.wait_for_selector("#operations-deals-deals_create .opblock-body")
        assert page.locator(".opblock").count() > 50
    finally:
        context.close()
    assert problems == []
