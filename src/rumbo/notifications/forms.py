"""The notifications page's one choice: all of them, or only the unread."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SHOW_CHOICES = [("all", pgettext_lazy("notifications", "All")), ("unread", _("Unread"))]


class NotificationFilterForm(forms.Form):
    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False)

    def unread(self) -> bool | None:
        """True to list only unread notifications; None for all (also for bad input)."""
        if self.is_valid() and self.cleaned_data["show"] == "unread":
            return True
        return None
