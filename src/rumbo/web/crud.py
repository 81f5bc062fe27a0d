"""Shared list / detail / create / edit / delete views. Every one reads through
`visible_to(request.member)` and writes through the app's service function, so
pages of every app behave alike: filters, sorting, paging, htmx partials,
validation errors on the form, refused deletes explained."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from rumbo.tenancy import scoping
from rumbo.tenancy.http import MemberRequest


class MemberRequiredMixin(LoginRequiredMixin):
    """A logged-in user with no organisation is sent to create one."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and getattr(request, "member", None) is None:
            return HttpResponseRedirect(reverse("signup"))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


@dataclass
class Column:
    """A column of a list table: a field path, its header and whether it sorts."""

    path: str
    label: Any
    sortable: bool = True
    link: bool = False


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
    from django.core.paginator import Paginator

    size = settings.PAGE_SIZE
    return Paginator(qs, size).get_page(request.GET.get("page"))


class ResourceView(MemberRequiredMixin, View):
    resource: Resource = None  # type: ignore[assignment]  # set by resource_urls
    namespace: str = ""

    @property
    def member(self) -> Any:
        return self.request.member  # type: ignore[attr-defined]

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{self.resource.name}_{action}", args=args)

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
            "can_create": scoping.can_create(member, self.resource.model),
            "namespace": self.namespace,
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
            qs = filterset.qs
        qs, sort = sort_queryset(qs, self.resource, request.GET.get("sort", ""))
        page = _page(request, qs)
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        ctx = self.context(
            page=page, filterset=filterset, sort=sort, query=query.urlencode(),
            sort_query=sort_query.urlencode(), columns=self.resource.columns,
        )  # fmt: skip
        partial = getattr(request, "htmx", False)
        template = "web/crud/_table.html" if partial else "web/crud/list.html"
        return render(request, template, ctx)


class DetailView(ResourceView):
    def get(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        fields = []
        for name in self.resource.detail_fields:
            f = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            fields.append((f.verbose_name, value))
        ctx = self.context(
            object=obj, fields=fields,
            can_write=scoping.can_write(request.member, obj),
            edit_url=self.url("edit", obj.pk), delete_url=self.url("delete", obj.pk),
        )  # fmt: skip
        names = [f"{self.namespace}/{self.resource.name}_detail.html", "web/crud/detail.html"]
        return render(request, names, ctx)


class FormView(ResourceView):
    creating = True

    def form(self, data: Any = None, instance: Any = None) -> Any:
        member = self.member
        if instance is None:
            instance = self.resource.model(organization_id=member.organization_id)
        return self.resource.form_class(data, instance=instance, actor=member)  # type: ignore[call-arg]

    def instance(self, pk: int | None) -> Any:
        member = self.member
        if pk is None:
            if not scoping.can_create(member, self.resource.model):
                raise PermissionDenied
            return None
        obj = self.get_object(pk)
        if not scoping.can_write(member, obj):
            raise PermissionDenied
        return obj

    def render_form(self, form: Any, obj: Any) -> HttpResponse:
        ctx = self.context(form=form, object=obj, creating=obj is None)
        names = [f"{self.namespace}/{self.resource.name}_form.html", "web/crud/form.html"]
        return render(self.request, names, ctx, status=400 if form.errors else 200)

    def get(self, request: MemberRequest, pk: int | None = None) -> HttpResponse:
        obj = self.instance(pk)
        return self.render_form(self.form(instance=obj), obj)

    def post(self, request: MemberRequest, pk: int | None = None) -> HttpResponse:
        obj = self.instance(pk)
        form = self.form(request.POST, instance=obj)
        if form.is_valid():
            try:
                saved = self.resource.save(
                    actor=request.member,
                    obj=form.instance,
                    creating=obj is None,
                    form=form,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": saved})
                return HttpResponseRedirect(self.url("detail", saved.pk))
        return self.render_form(form, obj)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DeleteView(ResourceView):
    def get(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        if not scoping.can_write(request.member, obj):
            raise PermissionDenied
        return render(request, "web/crud/delete.html", self.context(object=obj))

    def post(self, request: MemberRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        remove = self.resource.delete
        if remove is None:
            raise Http404
        try:
            remove(actor=request.member, obj=obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(self.url("detail", obj.pk))
        messages.success(request, _("Deleted %(name)s.") % {"name": obj})
        return HttpResponseRedirect(self.url("list"))


def resource_urls(resource: Resource, namespace: str, prefix: str) -> list[Any]:
    """The five URLs of a resource: list, create, detail, edit, delete."""
    attrs = {"resource": resource, "namespace": namespace}
    name = resource.name
    return [
        path(f"{prefix}/", ListView.as_view(**attrs), name=f"{name}_list"),
        path(f"{prefix}/new/", FormView.as_view(**attrs), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", DetailView.as_view(**attrs), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", FormView.as_view(**attrs), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", DeleteView.as_view(**attrs), name=f"{name}_delete"),
    ]
