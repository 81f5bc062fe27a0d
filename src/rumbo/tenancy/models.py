"""Organisations, the people in them (with or without a login), the team tree,
API tokens, invitations and the audit log."""

from __future__ import annotations

import unicodedata
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.scoping import ADMIN_ONLY, ScopedQuerySet
from rumbo.tenancy.versions import Versioned

CURRENCY_CODES = [
    "USD", "EUR", "GBP", "MXN", "ARS", "COP", "CLP", "PEN", "BRL", "CAD", "CHF", "JPY", "AUD",
]  # fmt: skip
CURRENCY_CHOICES = [(code, code) for code in CURRENCY_CODES]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_single_line(value: str) -> None:
    """Names are single lines of text: a newline or other control character in
    one breaks email headers built from it (an invitation's subject) and the
    CSV cells and page titles that show it."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise ValidationError(_("Use a single line without control characters."))


def single_line(value: str) -> str:
    """`value` with every control character or line break turned into a space,
    for text placed in an email header whatever path stored it."""
    return " ".join(
        "".join(
            " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value
        ).split()
    )


class UserManager(BaseUserManager["User"]):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A login. What a user may see comes from their Member row in an organisation."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text=_("Leave empty to use the organisation's language."),
    )  # fmt: skip

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class PeerNames(models.TextChoices):
    """What a rep's leaderboard says of the peers ranked beside them."""

    SHOWN = "shown", _("Reps see their peers' names")
    HIDDEN = "hidden", _("Reps see only their own name; peers are unnamed (“Peer 3”)")


class PeerReach(models.TextChoices):
    """Whom a rep's leaderboard may rank them among."""

    TEAM = "team", _("Their team only")
    ORGANIZATION = "organization", _("Their team, or the whole organisation")


class Organization(Versioned, models.Model):
    """A tenant: a sales organisation, or one independent seller."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    currency = models.CharField(_("base currency"), max_length=3, choices=CURRENCY_CHOICES)
    language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_independent = models.BooleanField(_("independent seller"), default=False)
    # A rep's leaderboard ranks them among their peers: names, scores and ranks,
    # never their records (metrics/peers.py, docs/user-guide.md "Leaderboards").
    leaderboard_names = models.CharField(
        _("names on reps' leaderboards"), max_length=12, choices=PeerNames.choices,
        default=PeerNames.SHOWN,
        help_text=_("Whether reps see the names of the people ranked beside them, or only "
                    "their own place among unnamed peers."),
    )  # fmt: skip
    leaderboard_reach = models.CharField(
        _("rankings reps may see"), max_length=12, choices=PeerReach.choices,
        default=PeerReach.TEAM,
        help_text=_("A team is ranked with every team below it, as on the scorecard."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Moves (never back) whenever a figure computed from the rollups, the
    # scorecard or the team tree may have changed: the figures cache keys on it
    # (docs/decisions/0007-figures-cache.md). Written only by
    # `tenancy.services.figures_changed`.
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An organisation loaded before a figures_changed() and saved after must
        # not put the old version back (cached figures of the old state would
        # come back under it): a plain save of an existing row leaves it out.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "figures_version"
            ]  # fmt: skip
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    REP = "rep", _("Rep")


class Team(Versioned, models.Model):
    """A node of the team tree; a manager sees this team and every team below it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent team"),
    )  # fmt: skip
    manager = models.ForeignKey(
        "Member", on_delete=models.PROTECT, null=True, blank=True, related_name="managed_teams",
        verbose_name=_("manager"),
    )  # fmt: skip
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner = "team"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(Versioned, models.Model):
    """A person in an organisation. Sellers and managers named in CRM exports exist
    here before they have a login (`user` is empty); they own records and count in
    every figure, and can be invited to log in later."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="memberships", verbose_name=_("login"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("team"),
    )  # fmt: skip
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The bell's count, kept by rumbo.notifications.services with every send
    # and reading: the member row comes with every request, a COUNT would be
    # one more round trip on every page (docs/benchmarks.md).
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_owner = "self"

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="member_unique_user"),
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=~Q(email=""),
                name="member_unique_email",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["organization", "team"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a new email address revokes the member's open invitations,
        whatever path saved it (page, API, import): a link is for the address
        it was sent to (docs/decisions/0009-invitations-and-signup.md)."""
        fields = kwargs.get("update_fields")
        email = self.__dict__.get("email")
        changed = (
            not self._state.adding and email is not None
            and (fields is None or "email" in fields)
            and normalize(getattr(self, "_loaded_email", None)) != normalize(email)
        )  # fmt: skip
        super().save(*args, **kwargs)
        if changed:
            Invitation.objects.filter(
                member=self, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        if email is not None:
            self._loaded_email = email

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Member:
        member = super().from_db(*args, **kwargs)
        # Remembered to notice a change of address in save() (below).
        member._loaded_email = member.__dict__.get("email")  # type: ignore[attr-defined]
        return member

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def has_login(self) -> bool:
        return self.user_id is not None


def normalize(email: str | None) -> str | None:
    """An email address as invitations and logins compare it."""
    return None if email is None else email.strip().lower()


class Invitation(models.Model):
    """A one-time link that lets a member set a password and log in. It is for
    the address it was sent to (`email`), never the member's address of the
    moment: accepting uses only this one."""

    # Read only through its member (tenancy/checks.py, ADR 0015).
    scope_through = "member"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.member} ({self.expires_at:%Y-%m-%d})"


class SignupRequest(models.Model):
    """A sign-up waiting for its address to be confirmed. Nothing else exists
    until the link is opened: the organisation, its admin and their login are
    created from `data` then (the password in it is already hashed)."""

    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    # Read only through its member (tenancy/checks.py, ADR 0015).
    scope_through = "member"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """Who changed what, when. Written by services, never by views."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    summary = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner = ADMIN_ONLY

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]
        indexes = [models.Index(fields=["organization", "model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.model} {self.object_id}"


class TenantModel(models.Model):
    """Base of every tenant-owned record: it carries its organisation and reads
    through the scoping path (`objects.visible_to(member)`)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    # Declared by every subclass, never inherited (tenancy.E001, ADR 0015).
    scope_owner: str | None

    class Meta:
        abstract = True
