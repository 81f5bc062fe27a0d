"""Shared list / detail / create / edit / delete views. Every one reads through
`visible_to(request.member)` and writes through the app's service function, so
pages of every app behave alike: filters, sorting, paging, htmx partials,
validation errors on the form, refused deletes explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from rumbo.web import formatting
from rumbo.web.access import MemberRequest, access
from rumbo.web.forms import add_errors
from rumbo.web.panels import PAGES, delete_blockers, detail_url
from rumbo.web.templatetags.rumbo import short_datetime


class MemberRequiredMixin(LoginRequiredMixin):
    """A logged-in user with no organisation is sent to create one."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and getattr(request, "member", None) is None:
            return HttpResponseRedirect(reverse("signup"))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# Model -> URL of its export (filled by rumbo.imports.urls); the list links to it.
EXPORT_URLS: dict[type[models.Model], Any] = {}


@dataclass
class Column:
    """A column of a list table: a field path, its header and whether it sorts.
    `money` formats the value as money: "currency" in the row's own `currency`,
    "base" in the organisation's currency."""

    path: str
    label: Any
    sortable: bool = True
    link: bool = False
    money: str = ""
    wrap: bool | None = None
    template: str = ""  # a template for the cell, given `obj`, instead of the value

    @property
    def numeric(self) -> bool:
        return bool(self.money)

    @property
    def wraps(self) -> bool:
        """Names may wrap so a table fits; figures and dates never do."""
        if self.wrap is not None:
            return self.wrap
        return self.path == "name" or self.path.endswith(".name")


@dataclass
class Resource:
    """Everything the shared views need to know about one kind of record."""

    model: type[models.Model]
    form_class: type[ModelForm[Any]]
    save: Callable[..., Any]  # service: save(actor=, obj=, creating=, form=)
    columns: list[Column]
    filterset_class: Any = None
    select_related: list[str] = field(default_factory=list)
    default_sort: str = ""
    detail_fields: list[str] = field(default_factory=list)
    delete: Callable[..., None] | None = None
    # Fields shown as money on the detail page: name -> "currency" | "base".
    money_fields: dict[str, str] = field(default_factory=dict)
    # Detail fields left out when empty (a loss reason on a won deal says nothing).
    hide_empty: frozenset[str] = frozenset()
    # Figures over the filtered list (one aggregate query): qs, member -> [(label, text)].
    totals: Callable[[Any, Any], list[tuple[Any, str]]] | None = None
    # Extra context of the detail page (related panels): obj, member -> dict.
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = None
    # Extra context of the list page, replacing paging when it returns "page": qs, member -> dict.
    list_context: Callable[[Any, Any], dict[str, Any]] | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name  # type: ignore[return-value]

    def queryset(self, member: Any) -> Any:
        qs = self.model.objects.visible_to(member)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs


def sort_queryset(qs: Any, resource: Resource, requested: str) -> tuple[Any, str]:
    allowed = {c.path for c in resource.columns if c.sortable}
    key = requested.lstrip("-")
    if key in allowed:
        return qs.order_by(requested.replace(".", "__"), "-pk"), requested
    if resource.default_sort:
        return qs.order_by(resource.default_sort, "-pk"), resource.default_sort
    return qs, ""


def _page(request: MemberRequest, qs: Any) -> Any:
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def money_text(obj: Any, name: str, kind: str, base_currency: str) -> str:
    currency = base_currency if kind == "base" else getattr(obj, "currency", base_currency)
    if kind != "base" and getattr(obj, "has_value", True) is False:
        return _("no value yet")  # an open deal with no amount stated (Deal.has_value)
    return formatting.money(getattr(obj, name), currency)


class ResourceView(MemberRequiredMixin, View):
    resource: Resource = None  # type: ignore[assignment]  # set by resource_urls
    namespace: str = ""

    @property
    def member(self) -> Any:
        return self.request.member  # type: ignore[attr-defined]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Admin-only records (aliases, saved mappings) refuse other roles before any
        # look-up, so an existing id and a missing one answer alike.
        member = getattr(request, "member", None)
        if member is not None and access().is_admin_only(self.resource.model):
            if member.role != "admin":
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{self.resource.name}_{action}", args=args)

    def templates(self, kind: str) -> list[str]:
        return [f"{self.namespace}/{self.resource.name}_{kind}.html", f"web/crud/{kind}.html"]

    def context(self, **extra: Any) -> dict[str, Any]:
        opts = self.resource.model._meta
        member = self.member
        return {
            "resource": self.resource,
            "opts": opts,
            "verbose_name": opts.verbose_name,
            "verbose_name_plural": opts.verbose_name_plural,
            "list_url": self.url("list"),
            "create_url": self.url("create"),
            "can_create": access().can_create(member, self.resource.model),
            "namespace": self.namespace,
            "base_currency": member.organization.currency,
            **extra,
        }

    def get_object(self, pk: int) -> Any:
        return get_object_or_404(self.resource.queryset(self.member), pk=pk)


class ListView(ResourceView):
    def get(self, request: MemberRequest) -> HttpResponse:
        qs = self.resource.queryset(request.member)
        filterset = None
        if self.resource.filterset_class:
            filterset = self.resource.filterset_class(
                request.GET, queryset=qs, member=request.member
            )
            # A filter value that is not valid here (another organisation's customer,
            # a mistyped date) shows its error and matches nothing, rather than everything.
            qs = filterset.qs if filterset.is_valid() else qs.none()
        qs, sort = sort_queryset(qs, self.resource, request.GET.get("sort", ""))
        extra: dict[str, Any] = {}
        if self.resource.list_context:
            extra = self.resource.list_context(qs, request.member)
        if "page" not in extra:
            extra["page"] = _page(request, qs)
        if self.resource.totals:
            extra["totals"] = self.resource.totals(qs, request.member)
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        filtered = any(v for k, v in request.GET.items() if k not in ("page", "sort"))
        ctx = self.context(
            filterset=filterset, sort=sort, query=query.urlencode(), filtered=filtered,
            sort_query=sort_query.urlencode(), columns=self.resource.columns,
            export_url=EXPORT_URLS.get(self.resource.model, ""), **extra,
        )  # fmt: skip
        htmx = getattr(request, "htmx", None)
        partial = bool(htmx) and not getattr(htmx, "history_restore_request", False)
        # A list shown as a tree (teams) has no paged table to swap in: send the page.
        partial = partial and extra.get("page") is not None
        names = ["web/crud/_table.html"] if partial else self.templates("list")
        response = render(request, names, ctx)
        patch_vary_headers(response, ["HX-Request"])
        return response


class DetailView(ResourceView):
    def fields(self, obj: Any) -> list[dict[str, Any]]:
        currency = self.member.organization.currency
        rows = []
        for name in self.resource.detail_fields:
            if name in self.resource.hide_empty and getattr(obj, name) in (None, ""):
                continue
            f = obj._meta.get_field(name)
            url = ""
            if name in self.resource.money_fields:
                text = money_text(obj, name, self.resource.money_fields[name], currency)
            else:
                display = getattr(obj, f"get_{name}_display", None)
                value = display() if display else getattr(obj, name)
                if isinstance(value, models.Model) and access().is_visible(self.member, value):
                    url = detail_url(value)  # one you cannot open: its name, no link (ADR 0011)
                is_time = isinstance(value, dt.datetime)
                text = short_datetime(value) if is_time else formatting.any_value(value)
            rows.append({"name": name, "label": f.verbose_name, "value": text, "url": url})
        return rows

    def get(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        hook = self.resource.detail_context
        extra = hook(obj, request.member) if hook else {}
        ctx = self.context(
            object=obj, fields=self.fields(obj),
            can_write=access().can_write(request.member, obj),
            edit_url=self.url("edit", obj.pk), delete_url=self.url("delete", obj.pk), **extra,
        )  # fmt: skip
        return render(request, self.templates("detail"), ctx)


class FormView(ResourceView):
    creating = True

    def form(self, data: Any = None, instance: Any = None, initial: Any = None) -> Any:
        member = self.member
        if instance is None:
            instance = self.resource.model(organization_id=member.organization_id)
        return self.resource.form_class(  # type: ignore[call-arg]
            data, instance=instance, actor=member, initial=initial
        )

    def instance(self, pk: int | None) -> Any:
        member = self.member
        if pk is None:
            if not access().can_create(member, self.resource.model):
                raise PermissionDenied
            return None
        obj = self.get_object(pk)
        if not access().can_write(member, obj):
            raise PermissionDenied
        return obj

    def render_form(self, form: Any, obj: Any, conflict: dict[str, Any] | None = None,
                    status: int | None = None) -> HttpResponse:  # fmt: skip
        ctx = self.context(form=form, object=obj, creating=obj is None, conflict=conflict)
        if status is None:
            status = 400 if form.errors else 200
        return render(self.request, self.templates("form"), ctx, status=status)

    def stale(self, obj: Any) -> Any:
        """The conflict when the page was opened at an older version of `obj` than
        the stored one (None when it was not, or says no version)."""
        if obj is None or not access().is_versioned(obj):
            return None
        try:
            expected = int(self.request.POST.get("version") or 0)
        except ValueError:
            return None
        if expected < 1 or expected == obj.version:
            return None
        return access().stale_version(stored=obj, expected=expected)

    def render_conflict(self, exc: Any, mine: Any) -> HttpResponse:
        """Someone saved the record since this form was opened: show the form again
        with the user's input, say which saved values now differ from it, and
        carry the saved version, so saving again means "mine over theirs" on purpose."""
        stored = exc.stored
        changed = []
        for name in self.resource.form_class.base_fields:
            try:
                f = stored._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not f.concrete or f.many_to_many:
                continue
            if f.value_from_object(stored) == f.value_from_object(mine):
                continue
            value = getattr(stored, name)
            display = getattr(stored, f"get_{name}_display", None)
            if display is not None:
                text = str(display())
            elif isinstance(value, models.Model):
                text = str(value)  # named even when the reader cannot open it (ADR 0011)
            else:
                text = formatting.any_value(value)
            changed.append({"label": f.verbose_name, "value": text})
        data = self.request.POST.copy()
        data["version"] = str(stored.version)  # type: ignore[attr-defined]
        rebase = getattr(self.resource.form_class, "conflict_data", None)
        if rebase is not None:  # a form whose input names rows the other save replaced
            data = rebase(data)
        form = self.form(data, instance=self.get_object(stored.pk))
        conflict = {"message": exc.message, "changed": changed}
        return self.render_form(form, stored, conflict=conflict, status=409)

    def get(self, request: MemberRequest, pk: int | None = None) -> HttpResponse:
        obj = self.instance(pk)
        # A new record may start from the page it was asked from (?customer=12).
        fields = self.resource.form_class.base_fields
        initial = {k: v for k, v in request.GET.items() if k in fields} if obj is None else None
        return self.render_form(self.form(instance=obj, initial=initial), obj)

    def post(self, request: MemberRequest, pk: int | None = None) -> HttpResponse:
        obj = self.instance(pk)
        form = self.form(request.POST, instance=obj)
        stale = self.stale(obj)
        if stale is not None:
            # Checked before the input: what someone else saved may be why it
            # no longer validates (a deal's lines replaced since the page opened).
            mine = self.form(request.POST, instance=self.instance(pk))
            mine.is_valid()  # puts the valid part of the input on its instance
            return self.render_conflict(stale, mine.instance)
        if form.is_valid():
            try:
                saved = self.resource.save(
                    actor=request.member,
                    obj=form.instance,
                    creating=obj is None,
                    form=form,
                )
            except access().stale_version as exc:
                return self.render_conflict(exc, form.instance)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": saved})
                return HttpResponseRedirect(self.url("detail", saved.pk))
        return self.render_form(form, obj)


class DeleteView(ResourceView):
    def page(self, obj: Any, error: str = "", status: int = 200) -> HttpResponse:
        ctx = self.context(
            object=obj, blockers=delete_blockers(obj), error=error,
            detail_url=self.url("detail", obj.pk),
        )  # fmt: skip
        return render(self.request, self.templates("delete"), ctx, status=status)

    def get(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        if not access().can_write(request.member, obj):
            raise PermissionDenied
        return self.page(obj)

    def post(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        remove = self.resource.delete
        if remove is None:
            raise Http404
        name = str(obj)
        try:
            remove(actor=request.member, obj=obj)
        except access().conflict as exc:
            return self.page(obj, exc.message, status=409)
        except ValidationError as exc:
            # Refused: say why on the same page, with links to what depends on it.
            return self.page(obj, " ".join(exc.messages), status=409)
        messages.success(request, _("Deleted %(name)s.") % {"name": name})
        return HttpResponseRedirect(self.url("list"))


def resource_urls(resource: Resource, namespace: str, prefix: str) -> list[Any]:
    """The five URLs of a resource: list, create, detail, edit, delete."""
    attrs = {"resource": resource, "namespace": namespace}
    name = resource.name
    filters = frozenset(resource.filterset_class.base_filters) if resource.filterset_class else ()
    PAGES[resource.model] = (f"{namespace}:{name}", frozenset(filters))
    return [
        path(f"{prefix}/", ListView.as_view(**attrs), name=f"{name}_list"),
        path(f"{prefix}/new/", FormView.as_view(**attrs), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", DetailView.as_view(**attrs), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", FormView.as_view(**attrs), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", DeleteView.as_view(**attrs), name=f"{name}_delete"),
    ]
