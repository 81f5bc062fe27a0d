"""Every page of the URL conf, classified so the walk knows what to expect.

Patterns come from `get_resolver()`, recursively through includes. Shared CRUD
views (`rumbo.web.crud`) carry their `Resource`, hence their model; any other
page naming a record needs an entry in `RECORD_PAGES`, and any other URL
parameter one in `PARAMS` (or `REGISTRIES`). A pattern the walk cannot place is reported by
`test_walk_coverage`, so a new page cannot slip past the walk unnoticed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from rumbo.care.models import CalendarFeed, FollowUp
from rumbo.goals.models import Goal
from rumbo.imports.exports import EXPORTS
from rumbo.imports.models import Alias, ImportJob
from rumbo.notifications.models import Notification
from rumbo.tenancy.models import ApiToken, Member
from rumbo.web import crud
from rumbo.web.lookup import LOOKUPS

# Route prefixes the walk leaves out, each with its reason. Nothing else is skipped.
SKIPPED = {
    # Django's admin: staff only, guarded by Django's own permissions, not by tenancy.
    "admin/": "Django admin",
    # The REST API: walked operation by operation from its OpenAPI document instead.
    "api/": "REST API (walked from OpenAPI)",
    # set_language: switches the interface language; shows and changes no record.
    "i18n/": "set_language",
    # The JavaScript translation catalogue: static text only.
    "jsi18n/": "JavaScript catalogue",
    # Logging out would end the very session the walk is using.
    "logout/": "logout",
    # The health check answers load balancers: no session, no records.
    "healthz": "health check",
    # Static files (served by whitenoise in production, by a URL pattern in DEBUG).
    "static/": "static files",
}

# Pages anyone may open without logging in, with values for their parameters.
PUBLIC = {
    "login": {},
    "signup": {},
    "invitation_accept": {"token": "no-such-invitation"},
    "signup_confirm": {"token": "no-such-signup"},
    "password_reset": {},
    "password_reset_done": {},
    "password_reset_confirm": {"uidb64": "MQ", "token": "no-such-token"},
    "password_reset_complete": {},
    "care:calendar_feed": {"token": "no-such-calendar-token"},
    "care:survey_answer": {"token": "no-such-survey"},
    "care:survey_unsubscribe": {"token": "no-such-survey"},
}

# Pages about one record that are not shared CRUD views: the model their pk
# names, and the methods they take. A GET shows the record to whoever may read
# it; a POST acts on it, for whoever may write it. POST-only pages answer 405
# to GET before looking at the record.
RECORD_PAGES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "tenancy:token_revoke": (ApiToken, ("POST",)),
    "tenancy:member_invite": (Member, ("POST",)),
    "imports:job_detail": (ImportJob, ("GET", "POST")),
    "care:followup_send_survey": (FollowUp, ("POST",)),
    "goals:goal_approve": (Goal, ("POST",)),
    "goals:goal_reject": (Goal, ("POST",)),
    "goals:goal_cascade": (Goal, ("POST",)),
    "goals:goal_cascade_preview": (Goal, ("POST",)),
    "imports:job_progress": (ImportJob, ("GET",)),
    "imports:job_problems": (ImportJob, ("GET",)),
    "notifications:mark_read": (Notification, ("POST",)),
    "care:followup_complete": (FollowUp, ("POST",)),
    "care:followup_reschedule": (FollowUp, ("POST",)),
    "care:followup_cancel": (FollowUp, ("POST",)),
}

# What an allowed POST to a record page sends, and may answer besides 302: the
# actions on one follow-up end it (done, cancelled), so the next one walked on
# the same follow-up is refused for its content (400) having written nothing.
RECORD_POSTS: dict[str, tuple[dict[str, str], list[int]]] = {
    "care:followup_complete": ({"day": "2026-01-02", "outcome": "done"}, [302, 400]),
    "care:followup_reschedule": ({"due_on": "2099-01-01"}, [302, 400]),
    "care:followup_cancel": ({}, [302]),
}

# Pages whose outcome depends on the role rather than on a record: admins get
# the page, everybody else a 403.
ADMIN_ONLY = {"tenancy:organization", "imports:job_list", "metrics:scorecard_settings",
              "recognition:settings", "care:health_settings"}  # fmt: skip
# POST-only forms for admins, naming no record in their URL: the model whose
# row count must not move when somebody else posts.
ADMIN_ACTIONS: dict[str, type[models.Model]] = {
    "imports:job_create": ImportJob,
    "imports:alias_from_problem": Alias,
}
# POST-only forms acting on the caller's own records of a model (mark all
# notifications read): open to everyone; nobody else's rows may change.
OWN_ACTIONS: dict[str, type[models.Model]] = {
    "notifications:mark_all_read": Notification,
    "care:calendar_regenerate": CalendarFeed,
    "care:calendar_revoke": CalendarFeed,
}
# Moves the session into another organisation the user belongs to (POST only).
ORG_SWITCH = {"tenancy:switch_organization"}

# Pages with a `kind` parameter naming an entry of a registry: walked once per
# registered kind (each entry has a `model`).
REGISTRIES: dict[str, Callable[[], dict[str, Any]]] = {
    # The type-to-search JSON (`rumbo.web.lookup`).
    "lookup": lambda: LOOKUPS,
    # Each list's CSV export (`rumbo.imports.exports`).
    "imports:export": lambda: EXPORTS,
}

# Values for URL parameters other than a record's pk, by page name.
PARAMS: dict[str, dict[str, str]] = {}

CRUD_ACTIONS = [
    (crud.ListView, "list"),
    (crud.DetailView, "detail"),
    (crud.DeleteView, "delete"),
    (crud.FormView, "form"),
]


@dataclass
class Page:
    name: str
    route: str  # e.g. "deals/<int:pk>/edit/"
    # list create detail edit delete record admin admin-action own-action switch public page
    kind: str
    model: Any = None  # lookup export
    resource: Any = None
    params: dict[str, str] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)

    @property
    def has_pk(self) -> bool:
        return "<int:pk>" in self.route

    def url(self, pk: int | None = None, **params: str) -> str:
        path = self.route
        values = {**self.params, **params, **({"pk": str(pk)} if pk is not None else {})}
        for converter_route, value in _placeholders(path, values):
            path = path.replace(converter_route, value)
        return "/" + path


def _placeholders(route: str, values: dict[str, str]) -> list[tuple[str, str]]:
    return [(m.group(0), values.get(m.group(2), m.group(0)))
            for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route)]  # fmt: skip


def iter_patterns(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str, URLPattern]]:
    """(full name, full route, pattern) of every URL pattern, through includes."""
    found: list[tuple[str, str, URLPattern]] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += iter_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            found.append((name, prefix + str(p.pattern), p))
    return found


def resource_of(callback: Any) -> Any:
    """The crud `Resource` behind a view, if it is one of the shared views."""
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    view_class = getattr(callback, "view_class", None)
    resource = initkwargs.get("resource") or getattr(view_class, "resource", None)
    return resource if isinstance(resource, crud.Resource) else None


def _crud_kind(callback: Any, route: str) -> str | None:
    view_class = callback.view_class
    for base, kind in CRUD_ACTIONS:
        if issubclass(view_class, base):
            if kind == "form":
                return "edit" if "<int:pk>" in route else "create"
            return kind
    return None


def classify(name: str, route: str, pattern: URLPattern) -> Page | str:
    """A `Page` the walk knows how to call, or why it cannot."""
    if not isinstance(pattern.pattern, RoutePattern):
        return f"{route}: regex pattern; the walk cannot build its URL"
    params = set(pattern.pattern.converters) - {"pk"}
    if name in PUBLIC:
        return Page(name, route, "public", params=PUBLIC[name])
    if name in REGISTRIES:
        return Page(name, route, "lookup" if name == "lookup" else "export")
    if params - set(PARAMS.get(name, {})):
        return f"{name} ({route}): no values for {sorted(params)}; add them to PARAMS"
    extra = PARAMS.get(name, {})
    if name in RECORD_PAGES:  # named here: it wins over the view it is built on
        model, methods = RECORD_PAGES[name]
        return Page(name, route, "record", model, params=extra, methods=methods)
    resource = resource_of(pattern.callback)
    if resource is not None:
        kind = _crud_kind(pattern.callback, route)
        if kind is None:
            return f"{name} ({route}): a Resource view of an unknown kind"
        if ("<int:pk>" in route) != (kind in ("detail", "edit", "delete")):
            return f"{name} ({route}): {kind} view with an unexpected pk parameter"
        crud_methods = ("GET", "POST") if kind in ("create", "edit", "delete") else ("GET",)
        return Page(name, route, kind, resource.model, resource, extra, crud_methods)
    if "<int:pk>" in route or "pk" in pattern.pattern.converters:
        return f"{name} ({route}): names a record of an unknown model; add it to RECORD_PAGES"
    if name in ADMIN_ONLY:
        return Page(name, route, "admin", params=extra, methods=("GET", "POST"))
    if name in ADMIN_ACTIONS:
        return Page(name, route, "admin-action", ADMIN_ACTIONS[name], params=extra,
                    methods=("POST",))  # fmt: skip
    if name in OWN_ACTIONS:
        return Page(name, route, "own-action", OWN_ACTIONS[name], params=extra,
                    methods=("POST",))  # fmt: skip
    if name in ORG_SWITCH:
        return Page(name, route, "switch", params=extra)
    return Page(name, route, "page", params=extra)


def walkable_pages() -> tuple[list[Page], list[str]]:
    """The pages to walk, and the patterns the walk could not place."""
    pages: list[Page] = []
    problems: list[str] = []
    for name, route, pattern in iter_patterns():
        if any(route.startswith(prefix) for prefix in SKIPPED):
            continue
        placed = classify(name, route, pattern)
        if isinstance(placed, str):
            problems.append(placed)
        else:
            pages.append(placed)
    return pages, problems
