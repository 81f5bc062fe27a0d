"""API calls are limited per user — every token and the browser session of a
user share the budget, reads and writes apart — answering 429 with
Retry-After and a message (issue 14: there was no API rate limit)."""

from __future__ import annotations

import pytest

from tests.tenancy.api_client import bearer

pytestmark = pytest.mark.django_db


def test_past_the_rate_the_api_answers_429_with_retry_after(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_READ_RATE, settings.API_WRITE_RATE = "3/min", "1/min"
    first, second = bearer(world.rita), bearer(world.rita)  # two tokens of one user
    assert [first.get("/api/v1/customers").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/v1/customers").status_code == 200
    refused = second.get("/api/v1/customers")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests; try again in ")
    assert world.client("rita").get("/api/v1/customers").status_code == 429  # the session too
    # Another user has their own budget.
    assert bearer(world.nina).get("/api/v1/customers").status_code == 200
    # Writes have their own, lower budget: reads spent, one write still passes.
    written = first.post("/api/v1/notifications/read-all")
    assert written.status_code == 200
    again = first.post("/api/v1/notifications/read-all")
    assert again.status_code == 429 and "Retry-After" in again
