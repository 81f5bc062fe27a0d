"""The generic checked save and delete that every app's services build on:
the actor's right judged on the record as stored and as it would become, the
version compared under the row lock, references checked, an audit entry
written with the change (ADR 0010)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from rumbo.tenancy import scoping, versions
from rumbo.tenancy.models import AuditEntry, Member


def audit(*, actor: Member | None, action: str, obj: models.Model, changes: Any = None) -> None:
    AuditEntry.objects.create(
        organization_id=obj.organization_id,  # type: ignore[attr-defined]
        actor=actor,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=str(obj)[:255],
        changes=changes or {},
    )


def _owner_fields(obj: models.Model) -> list[str]:
    owner = getattr(type(obj), "scope_owner", None)
    if owner and "__" not in owner and owner not in ("self", "team"):
        return [owner]
    return []


def check_references(
    *, actor: Member, obj: models.Model, stored: models.Model | None = None
) -> None:
    """Every record `obj` points at must be one the actor can see, in the same
    organisation: an API call naming another organisation's id gets a field error.
    A reference the stored record already has is kept without the check: a rep
    may edit their deal whose customer a manager chose among another rep's
    (ADR 0011); keeping it shares nothing new."""
    errors: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if not field.is_relation or field.name == "organization":
            continue
        related_id = getattr(obj, field.attname)
        related_model: Any = field.related_model
        if related_id is None or not hasattr(related_model.objects, "visible_to"):
            continue
        if stored is not None and getattr(stored, field.attname) == related_id:
            continue
        if not related_model.objects.visible_to(actor).filter(pk=related_id).exists():
            errors[field.name] = _("Choose a valid %(thing)s.") % {
                "thing": related_model._meta.verbose_name
            }
    if errors:
        raise ValidationError(errors)


def _stored_for_write(*, actor: Member, obj: models.Model) -> Any:
    """The row `obj` was read from, locked until the transaction ends, once the
    actor is shown to hold it as it is stored (a ModelForm or an API payload has
    already changed `obj` in memory, so `obj` itself proves nothing). Compares
    the version the editor read, when it says which (ADR 0010)."""
    stored = versions.lock_stored(type(obj), obj.pk)
    if stored is None:
        raise Http404
    if not (scoping.is_visible(actor, stored) and scoping.can_write(actor, stored)):
        raise PermissionDenied
    versions.check_version(stored, getattr(obj, "version", None))
    return stored


def record_save(*, actor: Member, obj: models.Model, creating: bool) -> models.Model:
    """Check the actor may write `obj` as it is stored and as it would become,
    validate it and save it atomically with an audit entry. `obj.version` is the
    version the editor read (None: not checked); a stale one raises
    `versions.StaleVersion`. Raises PermissionDenied or ValidationError (writes nothing)."""
    model = type(obj)
    if obj.organization_id != actor.organization_id:  # type: ignore[attr-defined]
        raise PermissionDenied
    if creating and not scoping.can_create(actor, model):
        raise PermissionDenied
    with transaction.atomic():
        if not creating:
            stored = _stored_for_write(actor=actor, obj=obj)
            if versions.is_versioned(model):
                obj.version = stored.version + 1  # type: ignore[attr-defined]
            if not scoping.can_write(actor, obj):
                raise PermissionDenied
        for field in _owner_fields(obj):
            attname = model._meta.get_field(field).attname  # type: ignore[union-attr]
            if getattr(obj, attname) is None and not actor.is_admin:
                # What a rep or manager records without naming an owner is theirs;
                # otherwise it would vanish from their own view the moment it is saved.
                setattr(obj, attname, actor.pk)
            owner = getattr(obj, field) if getattr(obj, attname) is not None else None
            if owner is not None and not scoping.can_assign(actor, owner):
                raise ValidationError({field: _("You cannot assign records to this person.")})
        check_references(actor=actor, obj=obj, stored=None if creating else stored)
        obj.full_clean()
        obj.save()
        audit(actor=actor, action="create" if creating else "update", obj=obj)
    return obj


def record_delete(*, actor: Member, obj: models.Model) -> None:
    """Delete `obj` unless other records depend on it; then say which ones. The
    right is judged on the row as stored (locked), not on the object passed in."""
    try:
        with transaction.atomic():
            stored = _stored_for_write(actor=actor, obj=obj)
            audit(actor=actor, action="delete", obj=stored)
            stored.delete()
    except (ProtectedError, RestrictedError) as exc:
        counts: dict[str, int] = {}
        dependants = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        metas = {}
        for dependant in dependants:
            label = dependant._meta.label
            metas[label] = dependant._meta
            counts[label] = counts.get(label, 0) + 1
        listing = ", ".join(
            f"{n} {metas[label].verbose_name if n == 1 else metas[label].verbose_name_plural}"
            for label, n in sorted(counts.items())
        )
        raise ValidationError(
            _("%(record)s cannot be deleted because other records depend on it: %(list)s.")
            % {"record": capfirst(str(obj)), "list": listing}
        ) from exc
