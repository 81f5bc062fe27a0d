"""Forms of the metrics pages: the period and subject filters of the scorecard
and leaderboard, and the admins' scorecard editor (a formset, one form per metric)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rumbo.metrics import registry
from rumbo.metrics.leaderboards import SCORE
from rumbo.metrics.periods import PERIODS, checked_bounds, period_bounds
from rumbo.metrics.services import ScorecardLine
from rumbo.web.forms import DateInput, style_fields


class PeriodForm(forms.Form):
    """Which period: the month, quarter or year holding a day, or custom dates.
    Read from the query string; a bad value falls back to the default."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    on = forms.DateField(label=_("Holding the day"), required=False, widget=DateInput())
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, today: date, default_period: str = "quarter",
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.today = today
        self.default_period = default_period
        self.fields["period"].initial = default_period  # the select shows what is shown
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data  # a day that did not parse: its own error says so
        period = data.get("period") or self.default_period
        # Only a custom period reads the from/to days: others ignore them.
        custom = period == "custom"
        self.bounds = checked_bounds(period, data.get("on") or self.today,
                                     data.get("start") if custom else None,
                                     data.get("end") if custom else None,
                                     first="start", last="end")  # fmt: skip
        return data

    def period_bounds(self) -> tuple[date, date]:
        """The chosen period, or the default one when the input is not valid
        (the page then answers 400 with the form's errors: `refused`)."""
        if self.is_valid():
            return self.bounds
        return period_bounds(self.default_period, self.today)

    @property
    def refused(self) -> bool:
        """Input was given and is not valid: a period beyond the limits, a day
        that is not a date. The page shows the default period, and says why."""
        return self.is_bound and not self.is_valid()


class LeaderboardForm(PeriodForm):
    key = forms.ChoiceField(label=_("Rank by"), required=False)
    by = forms.ChoiceField(label=_("Rank"), required=False,
                           choices=[("rep", _("People")), ("team", _("Teams"))])  # fmt: skip
    # A rep's choice where the admin allows the organisation's ranking (peers.py).
    among = forms.ChoiceField(label=_("Among"), required=False,
                              choices=[("team", _("My team")),
                                       ("org", _("The whole organisation"))])  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(SCORE, _("Scorecard score"))]
        choices += [(m.key, m.label) for m in registry.all_metrics() if m.additive]
        self.fields["key"].choices = choices  # type: ignore[attr-defined]
        style_fields(self)


def _metric_choices() -> list[tuple[str, Any]]:
    return [("", "—")] + [(m.key, m.label) for m in registry.all_metrics() if m.additive]


class ScorecardLineForm(forms.Form):
    """One metric of the scorecard; the rules (weights above 0, each metric once,
    targets above 0) are the service's, shown on the fields they concern."""

    metric = forms.ChoiceField(label=_("Metric"), choices=_metric_choices)
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2)
    target = forms.DecimalField(
        label=_("Target"), max_digits=18, decimal_places=4,
        help_text=_("Per rep per month for amounts and counts; the figure itself for rates. "
                    "A goal on the same metric, person or team and period takes its place."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class BaseScorecardFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def filled_forms(self) -> list[forms.Form]:
        """The forms that hold a metric: not deleted, not left blank."""
        return [f for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]  # fmt: skip

    def lines(self) -> list[ScorecardLine]:
        return [ScorecardLine(f.cleaned_data["metric"], f.cleaned_data["weight"],
                              f.cleaned_data["target"])
                for f in self.filled_forms()]  # fmt: skip

    def add_service_errors(self, exc: ValidationError) -> None:
        """Errors keyed `"2.weight"` (the third line) onto that form's field."""
        filled = self.filled_forms()
        by_key = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
        for key, errors in by_key.items():
            index, _sep, name = key.partition(".")
            if index.isdigit() and int(index) < len(filled):
                filled[int(index)].add_error(name, errors)
            else:
                self._non_form_errors = self.error_class(
                    [*self.non_form_errors(), *(m for e in errors for m in e.messages)]
                )


ScorecardFormSet = forms.formset_factory(
    ScorecardLineForm, formset=BaseScorecardFormSet, extra=2, can_delete=True, max_num=30,
    validate_max=True,
)  # fmt: skip
