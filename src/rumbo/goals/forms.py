"""The goal form: metric, owner (a rep or a team; neither for the
organisation), target, dates and milestones, one per line as `date: target`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rumbo.goals.models import Goal
from rumbo.metrics import registry
from rumbo.web.forms import DateInput, ScopedModelForm, add_errors


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in registry.all_metrics() if m.additive]


def parse_milestones(text: str) -> list[tuple[dt.date, Decimal]]:
    """`2026-01-31: 1000` per line; a line that cannot be read names itself."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _sep, target_text = line.replace("=", ":").partition(":")
        try:
            day = dt.date.fromisoformat(day_text.strip())
            target = Decimal(target_text.strip().replace(",", ""))
        except (ValueError, InvalidOperation):
            raise ValidationError(
                _("Line %(n)s: write a date and a target, like 2026-03-31: 5000."),
                params={"n": number},
            ) from None
        found.append((day, target))
    return found


class GoalForm(ScopedModelForm):
    metric = forms.ChoiceField(label=_("Metric"), choices=metric_choices)
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional intermediate targets, one per line: 2026-02-28: 4000"),
    )  # fmt: skip

    class Meta:
        model = Goal
        fields = ["name", "metric", "member", "team", "target", "start", "end", "milestones"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "member": _("A rep's goal. Leave rep and team empty for an organisation goal."),
            "team": _("A team's goal counts every team below it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.actor
        if not self.instance.pk and not actor.is_admin and not actor.is_manager:
            self.initial.setdefault("member", actor.pk)
        if self.instance.pk:
            self.initial["milestones"] = "\n".join(
                f"{m.day.isoformat()}: {m.target}" for m in self.instance.milestones.all())

    def clean_milestones(self) -> list[tuple[dt.date, Decimal]]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("member") and data.get("team"):
            self.add_error("team", _("A goal belongs to a rep or to a team, not both."))
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=500)


__all__ = ["GoalForm", "RejectForm", "add_errors"]
