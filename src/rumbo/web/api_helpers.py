"""One shape for every record's API: list (filters, ordering, paging), retrieve,
create, partial update and delete. Reads go through `visible_to(request.auth)`,
writes through the app's service, so the API obeys the same rules as the pages.
Each resource keeps its own typed schemas, so the OpenAPI document names every
field; only the five handlers are shared."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, PatchDict, Query, Router, Schema, Status
from pydantic import create_model

from rumbo.web.access import access
from rumbo.web.ids import MAX_DB_INT, max_page

# Whoever the request acts as: a member of the access path (web.access); the kit
# only passes it to the app's own functions.
Actor = Any


class ErrorOut(Schema):
    """A refusal with a message: 401, 403, 404 and 409 (a stale `version`, a
    record someone else changed or decided first)."""

    detail: str


class FieldErrorOut(Schema):
    """One problem with the input; `loc` ends with the field's name."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


# The refusals each kind of operation may answer, for the OpenAPI document.
LIST_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
CREATE_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {**CREATE_ERRORS, 404: ErrorOut}

SaveFn = Callable[..., models.Model]


@dataclass(frozen=True)
class ApiResource:
    """What the shared handlers need to know about one kind of record.

    `save(actor=, obj=, creating=, extra=)` calls the service; `extra` holds the
    payload keys named in `extra_fields` (not model attributes, e.g. deal lines).
    `defaults(actor)` fills fields a create leaves out (e.g. the owner is you).
    `renames` maps a service's error key to the API field (`techniques` ->
    `technique_ids`); foreign keys (`customer` -> `customer_id`) map themselves."""

    path: str
    model: type[models.Model]
    schema_in: type[Schema]
    schema_out: type[Schema]
    filters: type[FilterSchema]
    save: SaveFn
    delete: Callable[..., None]
    orderings: Sequence[str] = ()
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    defaults: Callable[[Actor], dict[str, Any]] | None = None
    extra_fields: Sequence[str] = ()
    renames: dict[str, str] = field(default_factory=dict)
    tag: str = ""

    def queryset(self, member: Actor) -> Any:
        qs = self.model.objects.visible_to(member)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def error_names(self) -> dict[str, str]:
        names = {
            f.name: f.attname
            for f in self.model._meta.concrete_fields
            if f.is_relation and f.name != "organization"
        }
        return {**names, **self.renames}


def actor_of(request: HttpRequest) -> Actor:
    """The Member the request acts as (set by the API authentication)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def simple_save(service: Callable[..., Any], kwarg: str) -> SaveFn:
    """Adapt a service `x_save(actor=, <kwarg>=, creating=)` to `ApiResource.save`."""

    def save(*, actor: Actor, obj: models.Model, creating: bool, extra: dict[str, Any]) -> Any:
        return service(actor=actor, creating=creating, **{kwarg: obj})

    return save


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(key, key): errs for key, errs in exc.error_dict.items()})


@contextmanager
def api_field_names(names: dict[str, str]) -> Iterator[None]:
    """Report a service's field errors under the names the API client sent."""
    try:
        yield
    except ValidationError as exc:
        raise _renamed(exc, names) from exc


def check_references(model: type[models.Model], actor: Actor, data: dict[str, Any]) -> None:
    """Every id the payload names must be a row of the actor's organisation.
    (The service then checks the actor may see it.) An unknown or foreign id is a
    field error, never a lookup that fails later or leaks another tenant's row."""
    errors: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        value = data.get(f.attname)
        related: Any = f.related_model
        if not f.is_relation or f.name == "organization" or value is None:
            continue
        if not any(rf.name == "organization" for rf in related._meta.concrete_fields):
            continue  # not a tenant's row: the service and the model validate it
        found = related._default_manager.filter(
            organization_id=actor.organization_id, pk=value
        ).exists()
        if not found:
            errors[f.attname] = _("Choose a valid %(thing)s.") % {
                "thing": related._meta.verbose_name
            }
    if errors:
        raise ValidationError(errors)


def refuse_nulls(model: type[models.Model], data: dict[str, Any], *, creating: bool) -> None:
    """An explicit null is "unset" on a create (the field's default applies, e.g.
    the owner is you) and a field error on a change of a field that cannot be
    empty, in every schema alike, rather than reaching the database."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    nulls = [key for key, value in data.items()
             if value is None and key in fields and not fields[key].null]  # fmt: skip
    if creating:
        for key in nulls:
            del data[key]
    elif nulls:
        raise ValidationError(dict.fromkeys(nulls, _("This field may not be null.")))


def _write(res: ApiResource, actor: Actor, obj: models.Model, data: dict[str, Any],
           expected: int | None = None) -> Any:  # fmt: skip
    """Apply the payload to `obj` and save it through the service, which judges
    the record as stored and as it would become (ADR 0010). `expected`: the
    version the client read (None: not checked); a stale one answers 409."""
    creating = obj.pk is None
    try:
        with api_field_names(res.error_names()):
            extra = {key: data.pop(key) for key in res.extra_fields if key in data}
            refuse_nulls(res.model, data, creating=creating)
            check_references(res.model, actor, data)
            for key, value in data.items():
                setattr(obj, key, value)
            if not creating and access().is_versioned(obj):
                obj.version = expected  # type: ignore[attr-defined]
            saved = res.save(actor=actor, obj=obj, creating=creating, extra=extra)
    except access().conflict as exc:
        return Status(409, {"detail": exc.message})
    return get_object_or_404(res.queryset(actor), pk=saved.pk)


def expected_version(request: HttpRequest, body: Any = None) -> int | None:
    """The version a PATCH or DELETE is based on: the body's `version`, else the
    `If-Match` header ("3"). None: the client did not say (the change is not checked)."""
    if body is not None:
        return int(body)
    try:
        return access().parse_if_match(request.headers.get("If-Match"))
    except ValueError:
        raise ValidationError(
            {"If-Match": _('Send the version you read, like "3".')}) from None  # fmt: skip


VERSION_HELP = _(
    'The `version` you read. Send it (or an `If-Match: "<version>"` header) so that a '
    "change someone else saved in between is refused with 409 instead of being overwritten; "
    "without either the change is applied as it comes."
)


def _patch_schema(res: ApiResource) -> type[Schema]:
    """The create schema plus the `version` the change is based on."""
    if not access().is_versioned(res.model):
        return res.schema_in
    return create_model(  # type: ignore[no-any-return,call-overload]
        f"{res.schema_in.__name__}Change", __base__=res.schema_in,
        version=(int | None, Field(None, ge=1, description=VERSION_HELP)),
    )  # fmt: skip


def _annotate(func: Callable[..., Any], **types: Any) -> None:
    """Give a shared handler the resource's own types, which ninja reads for
    parsing and for the OpenAPI document."""
    func.__annotations__ = {**func.__annotations__, **types}


def _page_schemas(res: ApiResource) -> tuple[type[Schema], type[Schema]]:
    name = res.model.__name__
    choices = tuple(o for key in res.orderings for o in (key, f"-{key}"))
    ordering_type: Any = Literal[choices] if choices else str  # type: ignore[valid-type]
    paging = create_model(
        f"{name}Paging",
        __base__=Schema,
        page=(int, Field(1, ge=1, le=max_page(settings.API_MAX_PAGE_SIZE),
                         description=_("Page number, from 1."))),  # fmt: skip
        page_size=(
            int,
            Field(
                settings.PAGE_SIZE,
                ge=1,
                le=settings.API_MAX_PAGE_SIZE,
                description=_("Records per page."),
            ),
        ),  # fmt: skip
        ordering=(
            ordering_type | None,
            Field(None, description=_("Sort by this field; a leading '-' reverses.")),
        ),
    )
    page = create_model(
        f"{name}Page",
        __base__=Schema,
        items=(list[res.schema_out], ...),  # type: ignore[name-defined]
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
    )
    return paging, page


def page_of(qs: Any, page: int, page_size: int) -> dict[str, Any]:
    """One page of an ordered queryset, as every list endpoint answers it."""
    start = (page - 1) * page_size
    # Past the largest offset the database takes (the schemas bound `page`): empty.
    rows = list(qs[start : start + page_size]) if start + page_size <= MAX_DB_INT else []
    return {"items": rows, "count": qs.count(), "page": page, "page_size": page_size}


def register(router: Router, res: ApiResource) -> None:
    """Add the five operations of `res` under /<path> and /<path>/{id}."""
    name = res.path
    tags = [res.tag or name]
    plural = str(res.model._meta.verbose_name_plural)
    single = str(res.model._meta.verbose_name)
    paging_schema, page_schema = _page_schemas(res)
    default_order = list(res.model._meta.ordering or [])

    def list_records(request: HttpRequest, filters: Any, paging: Any) -> dict[str, Any]:
        qs = filters.filter(res.queryset(actor_of(request)))
        qs = qs.order_by(*([paging.ordering] if paging.ordering else default_order), "pk")
        return page_of(qs, paging.page, paging.page_size)

    def retrieve_record(request: HttpRequest, id: int) -> Any:
        return get_object_or_404(res.queryset(actor_of(request)), pk=id)

    def create_record(request: HttpRequest, payload: Any) -> Status[Any]:
        actor = actor_of(request)
        data = payload.dict(exclude_unset=True)
        refuse_nulls(res.model, data, creating=True)  # before the defaults fill them
        if res.defaults is not None:
            data = {**res.defaults(actor), **data}
        obj = res.model(organization_id=actor.organization_id)  # type: ignore[misc]
        saved = _write(res, actor, obj, data)
        return saved if isinstance(saved, Status) else Status(201, saved)

    def update_record(request: HttpRequest, id: int, payload: Any) -> Any:
        actor = actor_of(request)
        data = dict(payload)
        expected = expected_version(request, data.pop("version", None))
        obj = get_object_or_404(res.queryset(actor), pk=id)
        return _write(res, actor, obj, data, expected)

    def delete_record(request: HttpRequest, id: int) -> Status[Any]:
        actor = actor_of(request)
        expected = expected_version(request)
        obj = get_object_or_404(res.queryset(actor), pk=id)
        if access().is_versioned(obj):
            obj.version = expected  # type: ignore[attr-defined]
        try:
            res.delete(actor=actor, obj=obj)
        except access().conflict as exc:
            return Status(409, {"detail": exc.message})
        except ValidationError as exc:
            return Status(409, {"detail": " ".join(exc.messages)})
        return Status(204, None)

    query, patch = cast(Any, Query), cast(Any, PatchDict)
    _annotate(list_records, filters=query[res.filters], paging=query[paging_schema])
    _annotate(create_record, payload=res.schema_in)
    _annotate(update_record, payload=patch[_patch_schema(res)])

    def add(path: str, method: str, func: Callable[..., Any], **kwargs: Any) -> None:
        verb = func.__name__.split("_")[0]
        router.add_api_operation(
            path, [method], func, operation_id=f"{name}_{verb}", tags=tags, **kwargs
        )

    collection, item = f"/{name}", f"/{name}/{{id}}"
    add(collection, "GET", list_records, response={200: page_schema, **LIST_ERRORS},
        summary=_("List %(things)s") % {"things": plural}, url_name=name)  # fmt: skip
    add(collection, "POST", create_record, response={201: res.schema_out, **CREATE_ERRORS},
        summary=_("Create a %(thing)s") % {"thing": single})  # fmt: skip
    add(item, "GET", retrieve_record, response={200: res.schema_out, **READ_ERRORS},
        summary=_("Get a %(thing)s") % {"thing": single}, url_name=f"{name}_detail")  # fmt: skip
    add(item, "PATCH", update_record, response={200: res.schema_out, 409: ErrorOut,
                                                 **WRITE_ERRORS},
        summary=_("Change a %(thing)s") % {"thing": single},
        description=VERSION_HELP if access().is_versioned(res.model) else None)  # fmt: skip
    add(item, "DELETE", delete_record, response={204: None, 409: ErrorOut, **WRITE_ERRORS},
        summary=_("Delete a %(thing)s") % {"thing": single})  # fmt: skip
