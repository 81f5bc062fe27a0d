"""Forms for sign-up, profile, members, teams and tokens."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.currency import Conversion
from rumbo.tenancy.models import (
    CURRENCY_CHOICES,
    Member,
    Organization,
    Team,
    User,
    validate_single_line,
    validate_time_zone,
)
from rumbo.web.forms import ScopedModelForm, add_version_field, style_fields, take_version


class SignupForm(forms.Form):
    """One step: a login and an organisation (or an independent seller's own)."""

    name = forms.CharField(label=_("Your name"), max_length=200, validators=[validate_single_line])
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    organization = forms.CharField(
        label=_("Organisation name"), max_length=200, validators=[validate_single_line]
    )
    independent = forms.BooleanField(
        label=_("I sell on my own (independent seller)"), required=False
    )
    currency = forms.ChoiceField(label=_("Base currency"), choices=CURRENCY_CHOICES)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # Checked here: the organisation is only created once the address is confirmed.
    time_zone = forms.CharField(
        label=_("Time zone"), initial="UTC", max_length=64, validators=[validate_time_zone]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_email(self) -> str:
        # Whether the address has a login is never said here (that would tell
        # anyone which addresses do): the emailed message says it.
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_organization(self) -> str:
        name = self.cleaned_data["organization"].strip()
        if not slugify(name):
            raise ValidationError(_("Use at least one letter or digit."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                validate_password(data["password"], User(email=data.get("email", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class OrganizationForm(forms.ModelForm):  # type: ignore[type-arg]
    # A new base currency once money is recorded converts every amount: these
    # two say at which rate, and that the admin means it (ADR 0013).
    conversion_rate = forms.DecimalField(
        label=_("Conversion rate"), required=False, max_digits=18, decimal_places=8,
        min_value=Decimal("0.00000001"),
        help_text=_("Only when changing the base currency: how many units of the new currency "
                    "one unit of the current one is worth. Empty: derived from your stored "
                    "exchange rates."),
    )  # fmt: skip
    convert = forms.BooleanField(
        label=_("Convert every amount"), required=False,
        help_text=_("Only when changing the base currency: deals, prices, exchange rates and "
                    "money targets are converted at that rate."),
    )  # fmt: skip

    class Meta:
        model = Organization
        fields = ["name", "currency", "language", "time_zone", "leaderboard_names",
                  "leaderboard_reach"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self)  # two admins' settings must not undo each other
        style_fields(self)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        take_version(self)

    def conversion(self) -> Conversion | None:
        """The converting change asked for (None when the box is not ticked)."""
        if not self.cleaned_data.get("convert"):
            return None
        return Conversion(rate=self.cleaned_data.get("conversion_rate"), confirmed=True)


class MemberForm(ScopedModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "role", "team", "external_id", "is_active"]
        help_texts = {
            "email": _("Needed to invite this person to log in."),
            "external_id": _("Their id in your CRM, to match imported records."),
            "is_active": _("Inactive people keep their records but no longer log in."),
        }


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = ["name", "parent", "manager", "external_id"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class InvitationAcceptForm(forms.Form):
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password"):
            try:
                validate_password(data["password"], User(email=self.email))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, in the site's style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
