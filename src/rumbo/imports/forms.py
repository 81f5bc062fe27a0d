"""Forms of the import pages: the upload, the column mapping, an alias."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rumbo.imports import columns as cols
from rumbo.imports.kinds import KINDS
from rumbo.web.forms import style_fields

PRESET_LABELS = {"generic": _("Generic (any CSV or XLSX)"), "salesforce": _("Salesforce report"),
                 "hubspot": _("HubSpot export"), "pipedrive": _("Pipedrive export")}  # fmt: skip


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(k, str(spec.label).capitalize()) for k, spec in KINDS.items()],
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
