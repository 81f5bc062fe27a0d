"""Forms of customer care: a plan with its steps, a follow-up, and the two
actions on one (done with an outcome, moved to another day)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.care.models import CarePlan, CareStep, FollowUp
from rumbo.care.services import StepInput
from rumbo.sales.choices import ActivityOutcome
from rumbo.sales.forms import OwnedForm, customer_lookup, deal_lookup
from rumbo.web.forms import DateInput, ScopedModelForm, style_fields

MAX_STEPS = 20


class StepForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CareStep
        fields = ["kind", "title", "delay_count", "delay_unit", "assignee"]
        widgets = {"delay_count": forms.NumberInput(attrs={"min": 0, "max": 3650})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_delay_count(self) -> int:
        value = self.cleaned_data["delay_count"]
        if value > 3650:
            raise ValidationError(_("At most 3,650 (ten years of days)."))
        return int(value)


class BaseStepFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def step_inputs(self) -> list[StepInput]:
        found = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("title"):
                continue
            found.append(StepInput(data["kind"], data["title"], data["delay_count"],
                                   data["delay_unit"], data["assignee"]))  # fmt: skip
        return found

    def clean(self) -> None:
        super().clean()
        if not any(f.has_changed() or f.instance.pk for f in self.forms
                   if not (getattr(f, "cleaned_data", None) or {}).get("DELETE")):  # fmt: skip
            raise ValidationError(_("A plan needs at least one step."))


StepFormSet = inlineformset_factory(
    CarePlan, CareStep, form=StepForm, formset=BaseStepFormSet, extra=0, can_delete=True,
    max_num=MAX_STEPS, validate_max=True,
)  # fmt: skip


class CarePlanForm(ScopedModelForm):
    """A plan with its steps (an inline formset, prefix `steps`)."""

    class Meta:
        model = CarePlan
        fields = ["name", "trigger", "segment", "category", "is_default", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps: Any = StepFormSet(self.data if self.is_bound else None,
                                      instance=self.instance, prefix="steps")  # fmt: skip
        if not self.instance.pk and not self.is_bound:
            self.steps.extra = 1

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        return self.steps.is_valid() and form_ok

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_default") and not data.get("segment") and not data.get("category"):
            raise ValidationError(
                _(
                    "Say which customers the plan is for: a segment, a product category, "
                    "or make it the default plan."
                )  # fmt: skip
            )
        return data


class FollowUpForm(OwnedForm):
    class Meta:
        model = FollowUp
        fields = ["customer", "deal", "kind", "title", "due_on", "owner"]
        widgets = {"due_on": DateInput(), "customer": customer_lookup(), "deal": deal_lookup()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["due_on"] = self.initial.get("due_on") or timezone.localdate()


class CompleteForm(forms.Form):
    day = forms.DateField(label=_("Done on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ActivityOutcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("day", timezone.localdate())
        style_fields(self)


class RescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
    note = forms.CharField(label=_("Why"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
