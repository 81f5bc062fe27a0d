"""The goal form: metric, owner (a rep or a team; neither for the
organisation), target, dates and milestones, one per line as `date: target`.

The owner starts where each person means it (services.default_owner): a rep's
and an independent seller's goals are always their own, so the form names
them instead of asking; a manager starts from their team; an admin from the
organisation, free to pick a team or a person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rumbo.goals import services
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
        asked = kwargs.get("initial") or {}  # what the page was opened with (?team=3)
        super().__init__(*args, **kwargs)
        actor = self.actor
        self.own_only = services.sets_own_goals_only(actor)
        if self.own_only:
            # Always their own goal: said, not asked (an old organisation goal
            # of an independent seller becomes hers when she saves it).
            del self.fields["member"], self.fields["team"]
            self.fields["owner"] = forms.CharField(
                label=_("Whose goal"), required=False, disabled=True, initial=actor.name,
                widget=forms.TextInput(attrs={"class": "form-control-plaintext fw-semibold"}),
                help_text=_("Your own goal: it shows on your home page.")
                if actor.is_admin else _("Your own goal: your manager approves it before "
                                        "it counts."))  # fmt: skip
            self.order_fields(["name", "metric", "owner"])
        elif not self.instance.pk:
            if not ({"member", "team"} & set(asked)):
                self.initial.update(services.default_owner(actor))
            if actor.is_manager:
                self.fields["member"].help_text = _(
                    "A rep's goal: choosing a rep replaces the team chosen for you."
                )
                self.fields["team"].help_text = _(
                    "Your team's goal, unless you choose a rep; it counts every team below."
                )
        if self.instance.pk:
            self.initial["milestones"] = "\n".join(
                f"{m.day.isoformat()}: {m.target}" for m in self.instance.milestones.all()
            )

    def clean_milestones(self) -> list[tuple[dt.date, Decimal]]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.own_only:
            return data
        if data.get("member") and data.get("team"):
            if "team" not in self.changed_data and not self.instance.pk:
                data["team"] = None  # the team was only the default: the rep chosen wins
            else:
                self.add_error("team", _("A goal belongs to a rep or to a team, not both."))
        elif not data.get("member") and not data.get("team") and not self.actor.is_admin:
            self.add_error(
                "team",
                _("Choose a team or a rep: goals for the whole organisation are set by an admin."),
            )
        return data

    def _post_clean(self) -> None:
        if self.own_only:
            self.instance.member, self.instance.team = self.actor, None
        super()._post_clean()

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=500)


__all__ = ["GoalForm", "RejectForm", "add_errors"]
