"""Forms for sales records; choices come from what the actor can see. Customers
and deals (thousands of them) are chosen by type-to-search, never a <select>."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.sales.choices import ComplaintStatus, Outcome
from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    DealLine,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)
from rumbo.sales.services import LineInput
from rumbo.web.forms import (
    DateInput,
    DateTimeInput,
    LookupWidget,
    PricedSelect,
    ScopedModelForm,
    style_fields,
)


def customer_lookup() -> LookupWidget:
    return LookupWidget("customer", placeholder=_("Type a customer name…"))


def deal_lookup() -> LookupWidget:
    return LookupWidget(
        "deal", depends_on="customer", placeholder=_("Type a deal name (optional)…")
    )


class OwnedForm(ScopedModelForm):
    """A record form whose owner field (`owner` or `rep`) starts as the actor."""

    owner_field = "owner"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.owner_field
        if not self.instance.pk and name in self.fields and not self.initial.get(name):
            self.initial[name] = self.actor.pk


class CustomerForm(OwnedForm):
    class Meta:
        model = Customer
        fields = [
            "name", "kind", "owner", "external_id", "segment", "industry", "size_band",
            "country", "region", "city", "age_band", "gender", "income_band", "email", "phone",
        ]  # fmt: skip
        widgets = {
            # Demographics matter only for consumers; the script hides them for businesses.
            "age_band": forms.Select(attrs={"data-show-when": "kind=consumer"}),
            "gender": forms.Select(attrs={"data-show-when": "kind=consumer"}),
            "income_band": forms.Select(attrs={"data-show-when": "kind=consumer"}),
            "size_band": forms.Select(attrs={"data-show-when": "kind=business"}),
            "industry": forms.TextInput(attrs={"data-show-when": "kind=business"}),
        }  # fmt: skip


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["customer", "name", "title", "email", "phone", "external_id"]
        widgets = {"customer": customer_lookup()}


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


class DealLineForm(forms.ModelForm):  # type: ignore[type-arg]
    """One line: product × quantity × unit price."""

    class Meta:
        model = DealLine
        fields = ["product", "quantity", "unit_price"]
        widgets = {
            "quantity": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
            "unit_price": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args: Any, products: list[Product] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["product"]
        products = products or []
        # The product list is read once per formset, not once per line.
        field.queryset = Product.objects.filter(pk__in=[p.pk for p in products])  # type: ignore[attr-defined]
        field.choices = [("", "—"), *((p.pk, str(p)) for p in products)]
        field.widget = PricedSelect(
            choices=field.choices, prices={str(p.pk): f"{p.list_price:.2f}" for p in products}
        )
        style_fields(self)
        for name in ("product", "quantity", "unit_price"):
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label


class BaseLineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, products: list[Product], **kwargs: Any) -> None:
        self.products = products
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["products"] = self.products
        return kwargs

    def line_inputs(self) -> list[LineInput]:
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("product"):
                continue
            lines.append(LineInput(data["product"], data["quantity"], data["unit_price"]))
        return lines


LineFormSet = inlineformset_factory(
    Deal, DealLine, form=DealLineForm, formset=BaseLineFormSet, extra=0, can_delete=True,
    max_num=200, validate_max=True,
)  # fmt: skip


class DealForm(OwnedForm):
    """A deal with its product lines (an inline formset, prefix `lines`). With
    lines, the amount is their total; the loss reason counts only for lost deals."""

    class Meta:
        model = Deal
        fields = [
            "name", "customer", "owner", "stage", "outcome", "loss_reason", "source",
            "amount", "currency", "created_on", "closed_on", "external_id", "techniques",
        ]  # fmt: skip
        widgets = {
            "created_on": DateInput(), "customer": customer_lookup(),
            "techniques": forms.CheckboxSelectMultiple,
            "loss_reason": forms.Select(attrs={"data-show-when": "outcome=lost"}),
            "closed_on": DateInput(attrs={"data-show-when": "outcome=won|lost"}),
        }  # fmt: skip
        help_texts = {"amount": _("Computed from the lines when the deal has lines.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["currency"] = (
                self.initial.get("currency") or self.actor.organization.currency
            )
            self.initial["created_on"] = self.initial.get("created_on") or timezone.localdate()
        # Required as ever, except on a deal imported without one (nobody must invent it).
        self.fields["created_on"].required = bool(self.instance.created_on or not self.instance.pk)
        self.fields["amount"].required = False
        if self.instance.pk and not self.instance.has_value:
            self.initial["amount"] = None  # "no value yet" stays blank, not 0.00
        used = (
            list(self.instance.lines.values_list("product_id", flat=True))
            if self.instance.pk
            else []
        )
        products = list(
            Product.objects.visible_to(self.actor).filter(Q(active=True) | Q(pk__in=used))
        )
        chosen = list(self.instance.techniques.all()) if self.instance.pk else []
        techniques = self.fields["techniques"]
        techniques.queryset = Technique.objects.visible_to(self.actor).filter(  # type: ignore[attr-defined]
            Q(active=True) | Q(pk__in=[t.pk for t in chosen])
        )
        self.lines: Any = LineFormSet(
            self.data if self.is_bound else None, instance=self.instance, prefix="lines",
            products=products,
        )  # fmt: skip

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        return self.lines.is_valid() and form_ok

    @staticmethod
    def conflict_data(data: Any) -> Any:
        """The input offered again over a deal someone else saved meanwhile: its
        lines named rows that saving replaced, so they come back as new lines
        (a save replaces every line anyway), and saving again works."""
        data = data.copy()
        data["lines-INITIAL_FORMS"] = "0"
        for key in [k for k in data if k.startswith("lines-") and k.endswith("-id")]:
            data[key] = ""
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Fields the page hides for this outcome are dropped, not reported as errors.
        if data.get("outcome") != Outcome.LOST:
            data["loss_reason"] = ""
        if data.get("outcome") == Outcome.OPEN:
            data["closed_on"] = None
        lines_ok = self.lines.is_valid()
        if not lines_ok:
            self.add_error(None, _("Please check the product lines."))
        lines = self.lines.line_inputs() if lines_ok else []
        self.line_inputs = lines
        if lines:
            data["amount"] = sum(
                (ln.quantity * ln.unit_price for ln in lines), Decimal(0)
            ).quantize(Decimal("0.01"))
        elif (
            # An open deal may have no value yet (deal_save: amount 0, no base amount).
            lines_ok
            and data.get("amount") is None
            and "amount" not in self.errors
            and data.get("outcome") != Outcome.OPEN
        ):
            self.add_error("amount", _("Enter the amount, or add product lines."))
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        """Errors raised by `deal_save`: per field, lines on the line table."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            if name == "lines":
                self.lines._non_form_errors = self.lines.error_class(  # type: ignore[attr-defined]
                    [str(m) for e in errors for m in e.messages]
                )
                self.add_error(None, _("Please check the product lines."))
            else:
                self.add_error(name if name in self.fields else None, errors)


class ActivityForm(OwnedForm):
    class Meta:
        model = Activity
        fields = ["customer", "deal", "kind", "date", "outcome", "owner", "notes"]
        widgets = {
            "date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4}),
            "customer": customer_lookup(), "deal": deal_lookup(),
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["date"] = self.initial.get("date") or timezone.localdate()


class SurveyResponseForm(ScopedModelForm):
    class Meta:
        model = SurveyResponse
        fields = ["customer", "deal", "kind", "score", "responded_on", "channel", "rep", "comment"]
        widgets = {
            "responded_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 3}),
            "customer": customer_lookup(), "deal": deal_lookup(),
            "score": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }  # fmt: skip
        help_texts = {
            "rep": _("Leave empty to credit the deal's owner, else the customer's owner."),
            "score": _("CSAT: 1 (very unhappy) to 5 (very happy). NPS: 0 to 10."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].required = False
        if not self.instance.pk:
            self.initial["responded_on"] = self.initial.get("responded_on") or timezone.localdate()


class ComplaintForm(ScopedModelForm):
    class Meta:
        model = Complaint
        fields = [
            "customer", "deal", "category", "severity", "status", "rep", "opened_at",
            "resolved_at", "description", "resolution_notes",
        ]  # fmt: skip
        widgets = {
            "opened_at": DateTimeInput(),
            "resolved_at": DateTimeInput(attrs={"data-show-when": "status=resolved"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution_notes": forms.Textarea(attrs={"rows": 3}),
            "customer": customer_lookup(), "deal": deal_lookup(),
        }  # fmt: skip
        help_texts = {
            "rep": _("Leave empty to credit the deal's owner, else the customer's owner."),
            "opened_at": _("Leave empty to use the current time."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].required = False
        self.fields["opened_at"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The resolution time is hidden unless resolved; reopening clears it.
        if data.get("status") != ComplaintStatus.RESOLVED:
            data["resolved_at"] = None
        return data
