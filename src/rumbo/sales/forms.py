"""Forms for sales records; choices come from what the actor can see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)
from rumbo.web.forms import DateInput, DateTimeInput, ScopedModelForm


class CustomerForm(ScopedModelForm):
    class Meta:
        model = Customer
        fields = [
            "name", "kind", "owner", "external_id", "segment", "industry", "size_band",
            "country", "region", "city", "age_band", "gender", "income_band", "email", "phone",
        ]  # fmt: skip


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["customer", "name", "title", "email", "phone", "external_id"]


class ProductForm(ScopedModelForm):
    class Meta:
        model = Product
        fields = ["sku", "name", "category", "list_price", "active"]


class TechniqueForm(ScopedModelForm):
    class Meta:
        model = Technique
        fields = ["name", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ExchangeRateForm(ScopedModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate"]
        widgets = {"date": DateInput()}


class DealForm(ScopedModelForm):
    class Meta:
        model = Deal
        fields = [
            "name", "owner", "customer", "stage", "outcome", "loss_reason", "techniques",
            "source", "amount", "currency", "created_on", "closed_on", "external_id",
        ]  # fmt: skip
        widgets = {"created_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["currency"] = (
                self.initial.get("currency") or self.actor.organization.currency
            )
            self.initial["owner"] = self.initial.get("owner") or self.actor.pk
            self.initial["created_on"] = self.initial.get("created_on") or timezone.localdate()


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = ["owner", "customer", "deal", "kind", "date", "outcome", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["owner"] = self.initial.get("owner") or self.actor.pk
            self.initial["date"] = self.initial.get("date") or timezone.localdate()


class SurveyResponseForm(ScopedModelForm):
    class Meta:
        model = SurveyResponse
        fields = ["kind", "score", "responded_on", "channel", "customer", "deal", "rep", "comment"]
        widgets = {"responded_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].required = False


class ComplaintForm(ScopedModelForm):
    class Meta:
        model = Complaint
        fields = [
            "customer", "deal", "rep", "severity", "category", "status", "opened_at",
            "resolved_at", "description", "resolution_notes",
        ]  # fmt: skip
        widgets = {
            "opened_at": DateTimeInput(), "resolved_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution_notes": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].required = False
        self.fields["opened_at"].required = False
