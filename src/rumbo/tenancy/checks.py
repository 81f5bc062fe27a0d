"""System check: every tenant model (every model with a foreign key to the
Organization) declares how it is scoped, and the declaration makes sense
(ADR 0015). A model with no organisation of its own that belongs to a tenant
record (a goal's milestones, a deal's lines, a member's token) declares the
field it is read through (`scope_through`). A model that forgot would
otherwise be read by a default; the project does not start instead (`rumbo
check`, `rumbo serve`, the tests)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from rumbo.tenancy import scoping

HINT = (
    "Add `scope_owner = ...` to the model: a lookup path to the owning Member "
    '("owner", "customer__owner"), scoping.CATALOGUE, scoping.ADMIN_ONLY, or '
    "scoping.SELF / scoping.TEAM for members and teams (tenancy/scoping.py)."
)


def is_tenant(model: type[models.Model]) -> bool:
    from rumbo.tenancy.models import Organization

    return any(
        f.many_to_one and f.related_model is Organization for f in model._meta.concrete_fields
    )


def _leads_to_member(model: type[models.Model], path: str) -> bool:
    from rumbo.tenancy.models import Member

    current: Any = model
    for step in path.split("__"):
        try:
            field = current._meta.get_field(step)
        except FieldDoesNotExist:
            return False
        if not (field.many_to_one or field.one_to_one):
            return False
        current = field.related_model
    return current is Member


def problem(model: type[models.Model]) -> tuple[str, str] | None:
    """(id, message) of what is wrong with the model's declaration, or None."""
    from rumbo.tenancy.models import Member, Team

    label = model._meta.label
    if not hasattr(model, "scope_owner"):
        return "tenancy.E001", f"{label} does not declare how it is scoped (scope_owner)."
    owner = model.scope_owner
    if owner in (scoping.CATALOGUE, scoping.ADMIN_ONLY):
        pass
    elif owner == scoping.SELF and model is not Member:
        return "tenancy.E002", f"{label}: scope_owner SELF is for Member only."
    elif owner == scoping.TEAM and model is not Team:
        return "tenancy.E002", f"{label}: scope_owner TEAM is for Team only."
    elif owner not in (scoping.SELF, scoping.TEAM) and not (
        isinstance(owner, str) and _leads_to_member(model, owner)
    ):
        return "tenancy.E002", f"{label}: scope_owner {owner!r} is not a path to a Member."
    if not hasattr(model._default_manager, "visible_to"):
        return "tenancy.E003", f"{label} is not read through visible_to (ScopedQuerySet)."
    return None


def owned_through(model: type[models.Model]) -> bool:
    """A model with no organisation that hangs off a tenant record."""
    return not is_tenant(model) and any(
        (f.many_to_one or f.one_to_one) and f.related_model is not None
        and is_tenant(f.related_model)
        for f in model._meta.concrete_fields
    )  # fmt: skip


def through_problem(model: type[models.Model]) -> tuple[str, str] | None:
    label = model._meta.label
    path = getattr(model, "scope_through", None)
    if path is None:
        return "tenancy.E004", (
            f"{label} belongs to a tenant record but does not say which "
            "(scope_through = the foreign key it is read through)."
        )
    try:
        field = model._meta.get_field(path)
    except FieldDoesNotExist:
        field = None
    related = getattr(field, "related_model", None)
    if related is None or not is_tenant(related):
        return "tenancy.E004", f"{label}: scope_through {path!r} is not a tenant record."
    return None


@checks.register(checks.Tags.models)
def tenant_models_declare_scope(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if app_configs is None:
        models_ = apps.get_models()
    else:
        models_ = [m for config in app_configs for m in config.get_models()]
    errors: list[checks.CheckMessage] = []
    for model in models_:
        if owned_through(model):
            found = through_problem(model)
        elif is_tenant(model):
            found = problem(model)
        else:
            continue
        if found is not None:
            errors.append(checks.Error(found[1], hint=HINT, obj=model, id=found[0]))
    return errors
