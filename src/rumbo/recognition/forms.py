"""Forms of recognition: giving kudos, and the admin's rule switches. They
parse; the services decide (who may be thanked, what a rule may be)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rumbo.recognition.rules import RULES
from rumbo.recognition.services import MAX_TEXT
from rumbo.tenancy.models import Member


class KudosForm(forms.Form):
    receiver = forms.ModelChoiceField(label=_("To"), queryset=Member.objects.none(),
                                      empty_label=_("Choose a person"))  # fmt: skip
    text = forms.CharField(
        label=_("What you thank them for"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),
        help_text=_("One line, up to 280 characters."),
    )  # fmt: skip

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = recipients  # type: ignore[attr-defined]


class RuleSettingsForm(forms.Form):
    rules = forms.MultipleChoiceField(
        label=_("Rules that award badges"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, rule.title) for key, rule in RULES.items() if rule.available],
    )  # fmt: skip
