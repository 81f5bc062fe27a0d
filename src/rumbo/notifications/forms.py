"""The notifications page's filters (all or unread; one kind), and the choice
of email digest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rumbo.notifications.models import Digest, Kind

SHOW_CHOICES = [("all", pgettext_lazy("notifications", "All")), ("unread", _("Unread"))]
KIND_CHOICES = [("", _("Every kind")), *Kind.choices]


class NotificationFilterForm(forms.Form):
    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False)
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False, label=_("Kind"))

    def unread(self) -> bool | None:
        """True to list only unread notifications; None for all (also for bad input)."""
        if self.is_valid() and self.cleaned_data["show"] == "unread":
            return True
        return None

    def chosen_kind(self) -> str | None:
        """One kind to list, or None for every kind (also for bad input)."""
        if self.is_valid() and self.cleaned_data["kind"]:
            return str(self.cleaned_data["kind"])
        return None


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        choices=Digest.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        label=_("Email me my unread notifications"),
    )
