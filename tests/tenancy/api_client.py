"""Small helpers for API tests: JSON calls under /api/v1 and bearer-token clients."""

from __future__ import annotations

from typing import Any

from django.test import Client

from rumbo.tenancy.models import Member
from rumbo.tenancy.services import api_token_create

API = "/api/v1"


def call(client: Client, method: str, path: str, data: Any = None) -> Any:
    """`method` /api/v1`path` with a JSON body when `data` is given."""
    send = getattr(client, method.lower())
    if data is None:
        return send(f"{API}{path}")
    return send(f"{API}{path}", data, content_type="application/json")


def bearer(member: Member) -> Client:
    """A client that sends a fresh personal token of `member` and no cookies."""
    _token, raw = api_token_create(member=member, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def fields(response: Any) -> set[str]:
    """The fields a 422 answer names (the last item of each `loc`)."""
    assert response.status_code == 422, response.content
    return {str(error["loc"][-1]) for error in response.json()["detail"]}
