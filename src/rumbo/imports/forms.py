"""Forms of the import pages: the upload, the column mapping, an alias from a
problem; and the pages of saved aliases and column mappings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rumbo.imports import columns as cols
from rumbo.imports import saved
from rumbo.imports.kinds import KINDS, Kind
from rumbo.imports.models import Alias, ColumnMapping
from rumbo.imports.values import fold
from rumbo.web.forms import ScopedModelForm, style_fields

PRESET_LABELS = {"generic": _("Generic (any CSV or XLSX)"), "salesforce": _("Salesforce report"),
                 "hubspot": _("HubSpot export"), "pipedrive": _("Pipedrive export")}  # fmt: skip


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        # capfirst keeps the label lazy: translated when the form is shown.
        choices=[(k, capfirst(spec.label)) for k, spec in KINDS.items()],
    )
    preset = forms.ChoiceField(label=_("Exported from"), choices=list(PRESET_LABELS.items()))
    file = forms.FileField(label=_("CSV or XLSX file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.txt"
        style_fields(self)


class MappingForm(forms.Form):
    """One select per header of the file: which field it holds."""

    save_mapping = forms.BooleanField(label=_("Remember this mapping for the next file"),
                                      required=False)  # fmt: skip

    def __init__(
        self, *args: Any, kind: str, mapping: dict[str, str], header: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        spec = KINDS[kind]
        # The file's order; headers the mapping has but the list lacks go last.
        order = [h for h in header if h in mapping] + [h for h in mapping if h not in header]
        choices = [("", _("— leave out —"))] + [
            (f.name, cols.field_label(spec, f.name).capitalize()) for f in cols.mappable(spec)
        ]
        self.headers = list(dict.fromkeys(order))
        for i, head in enumerate(self.headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=head or _("(no header)"), choices=choices, required=False,
                initial=mapping[head],
            )  # fmt: skip
        style_fields(self)

    def chosen(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}


class AliasForm(forms.Form):
    """From a problem: this spelling, in this column of the job's file, means `target`."""

    column = forms.CharField(max_length=300)
    spelling = forms.CharField(max_length=200)
    target = forms.CharField(max_length=200)


class AliasEditForm(ScopedModelForm):
    """An alias on its own page: what kind of thing the spelling names, the
    spelling, and what it means, typed as a file would write it."""

    target = forms.CharField(
        label=_("Means"), max_length=200,
        help_text=_("A record's name, external id, email or SKU; a stage (prospecting, "
                    "qualification, proposal, negotiation, won, lost); or the value meant."),
    )  # fmt: skip

    class Meta:
        model = Alias
        fields = ["kind", "spelling", "target"]
        labels = {"kind": _("Names a")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Names a"), choices=[("", "---------"), *saved.alias_kind_choices()]
        )
        self.fields["spelling"].help_text = _(
            "As the file writes it; case and spacing do not count."
        )
        if self.instance.pk and not self.instance.broken:
            self.initial.setdefault("target", self.instance.meaning)
        style_fields(self)


class MappingEditForm(ScopedModelForm):
    """A saved mapping on its own page: one line per column, `Header = field`."""

    columns = forms.CharField(
        label=_("Columns"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One column a line: the header as the file writes it, “=”, then the "
                    "field it holds (its name as a header would say it: close date, owner…). "
                    "Nothing after “=” leaves the column out."),
    )  # fmt: skip

    class Meta:
        model = ColumnMapping
        fields = ["kind", "name", "columns"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind"),
            choices=[(k, capfirst(spec.label)) for k, spec in KINDS.items()],
        )
        mapping = self.instance.mapping or {}
        if mapping and self.instance.kind in KINDS:
            spec = KINDS[self.instance.kind]
            self.initial.setdefault("columns", "\n".join(
                f"{h} = {cols.field_label(spec, f) if f else ''}".rstrip()
                for h, f in mapping.items()))  # fmt: skip
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, text = data.get("kind"), data.get("columns")
        if kind in KINDS and text:
            mapping, errors = read_columns(KINDS[kind], text)
            if errors:
                self.add_error("columns", errors)
            else:
                self.instance.mapping = mapping
        return data


def read_columns(spec: Kind, text: str) -> tuple[dict[str, str], list[str]]:
    """`Header = field` lines -> header -> field name, and the errors by line."""
    fields = cols.mappable(spec)
    names: dict[str, str] = {}
    for f in fields:
        for word in {*cols.spellings(spec, f), fold(cols.field_label(spec, f.name))}:
            names.setdefault(word, f.name)
    mapping: dict[str, str] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        header, sep, word = line.partition("=")
        header, word = header.strip(), word.strip()
        if not sep or not header:
            errors.append(_("Line %(n)s: write the header, “=”, then the field.") % {"n": number})
        elif header in mapping:
            errors.append(_("Line %(n)s: %(header)s is already mapped above.")
                          % {"n": number, "header": header})  # fmt: skip
        elif word and fold(word) not in names:
            known = ", ".join(cols.field_label(spec, f.name) for f in fields)
            errors.append(_("Line %(n)s: %(kind)s have no field called %(word)s (they have: "
                            "%(known)s).") % {"n": number, "kind": spec.label, "word": word,
                                             "known": known})  # fmt: skip
        else:
            mapping[header] = names[fold(word)] if word else ""
    if not mapping and not errors:
        errors.append(str(_("Give at least one column.")))
    return mapping, errors
