"""Every operation of the REST API, read from its OpenAPI document.

Paths are `/api/v1/<resource>` (list, create), `/api/v1/<resource>/{id}`
(read, update, delete), `/api/v1/<resource>/{id}/<action>` (reading about
the record, or acting on it) and POST `/api/v1/<resource>/<action>` (acting on
the caller's own records of that resource, e.g. marking all notifications
read). `MODELS` says which model each resource's ids name; a path the walk
cannot place (an unknown resource, a deeper path, another method) is reported
by `test_walk_coverage`, so a new operation cannot slip past the walk unnoticed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from rumbo.care.models import CarePlan, FollowUp
from rumbo.goals.models import Goal
from rumbo.imports.models import ImportJob
from rumbo.metrics import registry as metrics_registry
from rumbo.metrics.models import ScorecardMetric
from rumbo.notifications.models import Notification
from rumbo.recognition.models import Badge, Kudos
from rumbo.sales import models as sales
from rumbo.tenancy.models import ApiToken, Member, Team

PREFIX = "/api/v1/"
OPENAPI = PREFIX + "openapi.json"

# The model behind each resource of the API.
MODELS: dict[str, type[models.Model]] = {
    "customers": sales.Customer,
    "contacts": sales.Contact,
    "products": sales.Product,
    "techniques": sales.Technique,
    "rates": sales.ExchangeRate,
    "deals": sales.Deal,
    "activities": sales.Activity,
    "surveys": sales.SurveyResponse,
    "complaints": sales.Complaint,
    "members": Member,
    "teams": Team,
    "tokens": ApiToken,
    "imports": ImportJob,
    "goals": Goal,
    "notifications": Notification,
    "kudos": Kudos,
    "badges": Badge,
    "follow-ups": FollowUp,
    "care-plans": CarePlan,
}

# Bodies the walk cannot copy from a record: a file upload (multipart), or JSON
# with required fields no record holds. Anything else a schema asks is copied.
PAYLOADS: dict[str, Callable[[], dict[str, Any]]] = {
    "POST /api/v1/goals/{id}/reject": lambda: {"note": "Walk says no"},
    "POST /api/v1/follow-ups/{id}/reschedule": lambda: {"due_on": "2099-01-01"},
    "POST /api/v1/goals/{id}/cascade": lambda: {
        "shares": [{"member_id": Member.objects.order_by("pk").first().pk}]  # type: ignore[union-attr]
    },
    "POST /api/v1/imports": lambda: {
        "kind": "customers",
        "file": SimpleUploadedFile("walk.csv", b"name\nWalk customer\n", "text/csv"),
    },
}
# Operations about the caller themself, naming no record.
ABOUT_ME = {"me"}

# Resources that are a registry in code, not rows: their `{key}` names an entry.
REGISTRIES: dict[str, Callable[[], dict[str, Any]]] = {
    # Metric definitions; `/metrics/{key}` evaluates one over a scope (see walk_metric).
    "metrics": lambda: {m.key: m for m in metrics_registry.all_metrics()},
}
REGISTRY_KINDS = {1: "registry-list", 2: "metric"}
# An organisation's settings kept as rows of a model, read by everybody and
# replaced as a whole by admins (GET and PUT on the collection).
SETTINGS: dict[str, type[models.Model]] = {"scorecard": ScorecardMetric}
SETTINGS_KINDS = {"GET": "settings-read", "PUT": "settings-write"}
# The search (`rumbo.search`): every record it answers must be one the caller sees.
SEARCH = {"search"}
# Figures about people and teams (`rows` with a member or team id under `key`),
# taking `scope=` and `by=rep|team`.
REPORTS = {"scores", "leaderboards"}

COLLECTION = {"GET": "list", "POST": "create"}
ITEM = {"GET": "read", "PATCH": "update", "PUT": "update", "DELETE": "delete"}
# /<resource>/{id}/<action>: a GET reads about the record, anything else acts on it.
ITEM_ACTION = {"GET": "item-get", "POST": "item-post", "PUT": "item-post", "PATCH": "item-post",
               "DELETE": "item-post"}  # fmt: skip
_PARAM = re.compile(r"^\{\w+\}$")


@dataclass
class Operation:
    method: str
    path: str  # as in the document: /api/v1/deals/{id}
    kind: str  # list, create, read, update, delete, item-get, item-post, own-action, me
    resource: str = ""
    model: Any = None
    body: dict[str, Any] | None = None  # the request body's JSON schema, resolved
    multipart: bool = False  # the body is a form with a file (see PAYLOADS)

    def url(self, pk: int | str | None = None) -> str:
        return re.sub(r"\{\w+\}", str(pk), self.path) if pk is not None else self.path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return document["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]
    return schema


def _body(op: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return _resolve(schema, document) if schema else None


def _multipart(op: dict[str, Any]) -> bool:
    return "multipart/form-data" in op.get("requestBody", {}).get("content", {})


def place(method: str, path: str, op: dict[str, Any], document: dict[str, Any]) -> Operation | str:
    """The operation as the walk will call it, or why it cannot."""
    parts = path.removeprefix(PREFIX).strip("/").split("/")
    where = f"{method} {path}"
    if not path.startswith(PREFIX):
        return f"{where}: outside {PREFIX}"
    if len(parts) == 1 and parts[0] in ABOUT_ME:
        return Operation(method, path, "me") if method == "GET" else f"{where}: unknown method"
    resource = parts[0]
    if resource in REGISTRIES and method == "GET" and len(parts) in REGISTRY_KINDS:
        if len(parts) == 1 or _PARAM.match(parts[1]):
            return Operation(method, path, REGISTRY_KINDS[len(parts)], resource)
    if len(parts) == 1 and resource in SETTINGS and method in SETTINGS_KINDS:
        return Operation(method, path, SETTINGS_KINDS[method], resource, SETTINGS[resource],
                         _body(op, document))  # fmt: skip
    if len(parts) == 1 and resource in SEARCH and method == "GET":
        return Operation(method, path, "search", resource)
    if len(parts) == 1 and resource in REPORTS and method == "GET":
        return Operation(method, path, "report", resource)
    if resource not in MODELS:
        return f"{where}: unknown resource {resource!r}; add its model to MODELS"
    if len(parts) == 1 and method in COLLECTION:
        kind = COLLECTION[method]
    elif len(parts) == 2 and _PARAM.match(parts[1]) and method in ITEM:
        kind = ITEM[method]
    elif len(parts) == 3 and _PARAM.match(parts[1]) and method in ITEM_ACTION:
        kind = ITEM_ACTION[method]
    elif len(parts) == 2 and not _PARAM.match(parts[1]) and method == "POST":
        kind = "own-action"
    else:
        return f"{where}: an operation of a shape the walk does not know"
    body, multipart = _body(op, document), _multipart(op)
    if multipart and where not in PAYLOADS:
        return f"{where}: takes a file upload; add a payload to PAYLOADS"
    required = (body or {}).get("required", [])
    if kind == "item-post" and required and where not in PAYLOADS:
        return f"{where}: needs {required}; add a payload to PAYLOADS"
    return Operation(method, path, kind, resource, MODELS[resource], body, multipart)


def operations(document: dict[str, Any]) -> tuple[list[Operation], list[str]]:
    """Every (path × method) of the document, and those the walk cannot place."""
    found: list[Operation] = []
    problems: list[str] = []
    for path, methods in sorted(document["paths"].items()):
        for method, op in methods.items():
            if method.lower() in ("parameters", "summary", "description", "servers"):
                continue
            placed = place(method.upper(), path, op, document)
            if isinstance(placed, str):
                problems.append(placed)
            else:
                found.append(placed)
    return found, problems


def payload_from(record_json: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    """A create payload: the fields of an existing record that the input schema takes."""
    fields = (body or {}).get("properties", {})
    return {k: v for k, v in record_json.items() if k in fields}


def text_change(body: dict[str, Any] | None, value: str) -> dict[str, Any]:
    """A one-field update: the `name`, if the schema has one; else nothing."""
    fields = (body or {}).get("properties", {})
    return {"name": value} if "name" in fields else {}
