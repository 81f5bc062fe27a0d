"""The base of every Rumbo form: choices limited to what the actor can see,
Bootstrap classes on every widget, and a search-as-you-type widget for choices
too long for a <select> (customers, deals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rumbo.web.access import access


class LookupWidget(forms.Widget):
    """A hidden id plus a search box: `static/rumbo/app.js` asks
    `/lookup/<kind>/?q=` (scoped to the viewer) and fills the id on a pick.

    `depends_on` names another field of the same form whose value narrows the
    search (a deal lookup narrowed to the chosen customer). The field's queryset
    (already scoped) is given by `bind_lookups` so the chosen record's label can
    be shown: one query per rendered lookup with a value."""

    template_name = "web/widgets/lookup.html"

    def __init__(
        self,
        kind: str,
        *,
        depends_on: str = "",
        placeholder: Any = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.depends_on = depends_on
        self.placeholder = placeholder
        self.queryset: Any = None
        self.choices: Any = ()  # ModelChoiceField assigns an iterator; never iterated here.

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_search" if id_ else id_

    def format_value(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        return str(getattr(value, "pk", value))

    def label_for(self, value: str) -> str:
        if not value or self.queryset is None:
            return ""
        try:
            obj = self.queryset.filter(pk=value).first()
        except (TypeError, ValueError):
            return ""
        return str(obj) if obj is not None else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        search_attrs = {k: v for k, v in widget["attrs"].items() if k not in ("id", "required")}
        search_attrs["class"] = " ".join(
            c for c in [search_attrs.get("class", ""), "lookup-search"] if c
        )
        widget.update(
            {
                "url": reverse("lookup", args=[self.kind]),
                "label": self.label_for(widget["value"]),
                "depends_on": self.depends_on,
                "placeholder": self.placeholder or _("Type to search…"),
                "search_attrs": search_attrs,
                "required": bool(widget["attrs"].get("required")),
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class PricedSelect(forms.Select):
    """A product <select> whose options carry the list price (`data-price`), so
    the form script can suggest the unit price of a new line."""

    def __init__(self, *args: Any, prices: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prices = prices or {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        price = self.prices.get(str(value))
        if price is not None:
            option["attrs"]["data-price"] = price
        return option


def style_fields(form: forms.BaseForm) -> None:
    for bound in form.fields.values():
        widget = bound.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if isinstance(bound, forms.ModelChoiceField):
            if bound.empty_label == "---------":
                bound.empty_label = "—"
        elif hasattr(bound, "iterator"):
            pass  # django-filter's choice fields label their empty choice themselves
        elif isinstance(bound, forms.ChoiceField):
            options = list(bound.choices)  # type: ignore[arg-type]
            if options and options[0] == ("", "---------"):
                bound.choices = [("", "—"), *options[1:]]


def bind_lookups(form: forms.BaseForm) -> None:
    """Give each lookup widget its field's (scoped) queryset to label the choice."""
    for field in form.fields.values():
        if isinstance(field.widget, LookupWidget):
            field.widget.queryset = getattr(field, "queryset", None)


def add_version_field(form: forms.ModelForm) -> None:  # type: ignore[type-arg]
    """The edit form of a versioned record carries the version it was opened at
    (hidden), which the service compares with the stored one (ADR 0010)."""
    if form.instance.pk and access().is_versioned(form.instance):
        form.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1,
            initial=form.instance.version,
        )  # fmt: skip


def take_version(form: forms.ModelForm) -> None:  # type: ignore[type-arg]
    """Put the version the page was opened at on the instance, after the input
    (none sent, from an old page: not checked). Call from `_post_clean`."""
    if "version" in form.fields:
        form.instance.version = form.cleaned_data.get("version")


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose related-record choices come from `visible_to(actor)`.
    The edit form of a versioned record carries the version it was opened at
    (hidden), which the service compares with the stored one (ADR 0010)."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        add_version_field(self)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                visible = queryset.visible_to(actor)
                kept = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
                # What the record already points at stays a valid choice, named,
                # even when the actor cannot open it (ADR 0011).
                if kept is not None:
                    visible = queryset.filter(Q(pk__in=visible.values("pk")) | Q(pk=kept))
                field.queryset = visible  # type: ignore[attr-defined]
        bind_lookups(self)
        style_fields(self)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        take_version(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields,
    the rest above the form."""
    if hasattr(form, "add_service_errors"):
        form.add_service_errors(exc)
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
