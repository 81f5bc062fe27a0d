"""Writes for organisations, members, teams, invitations and tokens. The
generic checked save/delete every app's services build on lives in
`tenancy.records` and is named here too, where the apps import it from."""

from __future__ import annotations

import hashlib
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rumbo.tenancy import versions
from rumbo.tenancy.currency import Conversion, base_currency_change
from rumbo.tenancy.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Member,
    Organization,
    Role,
    Team,
    User,
    normalize,
    single_line,
)
from rumbo.tenancy.records import audit as audit
from rumbo.tenancy.records import check_references as check_references
from rumbo.tenancy.records import record_delete as record_delete
from rumbo.tenancy.records import record_save as record_save
from rumbo.tenancy.signals import time_zone_changed


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def organization_create(
    *,
    slug: str,
    name: str,
    currency: str,
    admin_email: str,
    admin_name: str = "",
    password: str | None = None,
    language: str = "en",
    time_zone: str = "UTC",
    independent: bool = False,
) -> tuple[Organization, Member]:
    """Create an organisation with its first team and its admin in one step.
    An independent seller is an organisation of one: the admin holds every role.
    An existing login with that email becomes the admin (its password is kept)."""
    email = admin_email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    org = Organization(
        slug=slug.strip(), name=name.strip(), currency=currency, language=language,
        time_zone=time_zone, is_independent=independent,
    )  # fmt: skip
    org.full_clean()
    org.save()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, first_name=admin_name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    member = Member.objects.create(
        organization=org, user=user, name=admin_name or email.split("@")[0], email=email,
        role=Role.ADMIN,
    )  # fmt: skip
    team = Team.objects.create(organization=org, name=name, manager=member)
    member.team = team
    member.save(update_fields=["team"])
    audit(actor=member, action="create", obj=member)
    return org, member


def member_save(*, actor: Member, member: Member, creating: bool) -> Member:
    if member.team_id and member.team.organization_id != actor.organization_id:  # type: ignore[union-attr]
        raise ValidationError({"team": _("Choose a team of this organisation.")})
    record_save(actor=actor, obj=member, creating=creating)
    return member


def team_save(*, actor: Member, team: Team, creating: bool) -> Team:
    """Save a team, refusing a parent that would make the tree a cycle."""
    parent = team.parent
    while parent is not None:
        if parent.pk == team.pk:
            raise ValidationError({"parent": _("A team cannot be placed below itself.")})
        parent = parent.parent
    record_save(actor=actor, obj=team, creating=creating)
    return team


def invitation_create(*, actor: Member, member: Member, base_url: str) -> str:
    """Email `member` a one-time link to log in to this organisation; returns
    the link. The invitation is for the address it is sent to, and only that
    address can accept it (ADR 0009). Only an admin of the member's organisation
    may invite, and only someone without a login here: a login's password is
    never set through an invitation. The message is sent before the invitation
    is stored: a refused message leaves nothing behind, and no database lock is
    held during the SMTP conversation."""
    if not actor.is_admin or member.organization_id != actor.organization_id:
        raise PermissionDenied
    if not member.email:
        raise ValidationError({"email": _("Add an email address before inviting this person.")})
    if not member.is_active:
        raise ValidationError(_("This person is inactive; activate them before inviting."))
    if member.user_id is not None:
        raise ValidationError(
            _("This person already logs in to Rumbo; an invitation cannot give them a new "
              "password. They can reset it from the login page.")
        )  # fmt: skip
    email = normalize(member.email) or ""
    if (
        Member.objects.filter(organization_id=member.organization_id, user__email=email)
        .exclude(pk=member.pk)
        .exists()
    ):
        # Accepting would give one login two places in the organisation.
        raise ValidationError(
            {"email": _("Someone in this organisation already logs in with this email.")}
        )
    raw = secrets.token_urlsafe(32)
    link = f"{base_url.rstrip('/')}/invitation/{raw}/"
    existing = User.objects.filter(email=email).first()
    language = (existing.language if existing else "") or member.organization.language
    with translation.override(language):
        context = {"member": member, "actor": actor, "link": link, "has_login": bool(existing),
                   "days": settings.INVITATION_DAYS}  # fmt: skip
        # Names come from pages, the API and imports: a line break in one must
        # not reach (and break, or add to) the message's headers.
        subject = _("%(name)s invites you to Rumbo") % {"name": single_line(actor.name)}
        body = render_to_string("tenancy/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [email])
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        raise ValidationError(
            _("The invitation could not be sent (%(error)s); nothing was saved.") % {"error": exc}
        ) from exc
    with transaction.atomic():
        Invitation.objects.create(
            member=member, email=email, token_hash=hash_token(raw), created_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )  # fmt: skip
        audit(actor=actor, action="invite", obj=member, changes={"email": email})
    return link


def invitation_lookup(raw: str) -> Invitation | None:
    """The invitation behind a link, if it is unused, unrevoked, unexpired, its
    member active, without a login and still at the address it was sent to
    (a change of address made by any path, even a bulk update, voids it)."""
    invitation = (
        Invitation.objects.select_related("member__organization")
        .filter(
            token_hash=hash_token(raw),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            member__is_active=True,
            member__user__isnull=True,
        )
        .first()
    )
    if (
        invitation is None
        or invitation.expires_at < timezone.now()
        or normalize(invitation.member.email) != invitation.email
    ):
        return None
    return invitation


def invitation_login(invitation: Invitation) -> User | None:
    """The existing login with the invitation's address: its owner must sign in
    to accept, and its password is never changed here."""
    return User.objects.filter(email=invitation.email).first()


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str | None = None, user: User | None = None
) -> User:
    """Give the invited member a login at the invitation's address, or attach
    the signed-in `user` when a login with that address exists (its password is
    kept); use up the link and every other link still open for that member."""
    now = timezone.now()
    member = Member.objects.select_for_update().get(pk=invitation.member_id)
    # Claim the link with a conditional update so two submissions cannot both
    # use it; the member's address and login are checked again under the lock.
    # Any refusal below rolls the claim back with the rest.
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gte=now,
    ).update(accepted_at=now)  # fmt: skip
    if (
        not claimed
        or not member.is_active
        or member.user_id is not None
        or normalize(member.email) != invitation.email
    ):
        raise ValidationError(_("This invitation link has already been used or has expired."))
    existing = invitation_login(invitation)
    if existing is not None:
        if user is None or user.pk != existing.pk or normalize(user.email) != invitation.email:
            raise PermissionDenied(
                _("This invitation is for %(email)s: log in as %(email)s to accept it.")
                % {"email": invitation.email}
            )
    elif not password:
        raise ValidationError({"password": _("Choose a password.")})
    if (
        existing is not None
        and Member.objects.filter(organization_id=member.organization_id, user=existing).exists()
    ):
        raise ValidationError(_("You already belong to this organisation."))
    invitation.accepted_at = now
    Invitation.objects.filter(member=member, accepted_at__isnull=True).update(accepted_at=now)
    if existing is None:
        try:
            with transaction.atomic():
                existing = User.objects.create_user(
                    invitation.email, password, first_name=single_line(member.name)[:150]
                )
        except IntegrityError as exc:
            # Someone signed up with this address a moment ago: they log in to accept.
            raise ValidationError(
                _("An account with this email exists now; log in to accept the invitation.")
            ) from exc
    member.user = existing
    member.save(update_fields=["user"])
    audit(actor=member, action="accept invite", obj=member, changes={"email": invitation.email})
    return existing


def api_token_create(*, member: Member, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the raw value is returned once and never stored
    (only its SHA-256 and a short prefix to recognise it by)."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    raw = "rmb_" + secrets.token_urlsafe(32)
    token = ApiToken(member=member, name=name.strip(), prefix=raw[:10], token_hash=hash_token(raw))
    # Checked here, not by the database: SQLite would keep an over-long name.
    token.full_clean(exclude=["member"])
    with transaction.atomic():
        token.save()
        audit(actor=member, action="create token", obj=member,
              changes={"token": token.name, "prefix": token.prefix})  # fmt: skip
    return token, raw


def api_token_revoke(*, member: Member, token: ApiToken) -> None:
    """Revoke one of the member's own tokens; revoking twice keeps the first date."""
    if token.member_id != member.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit(actor=member, action="revoke token", obj=member,
              changes={"token": token.name, "prefix": token.prefix})  # fmt: skip


def api_token_authenticate(raw: str) -> Member | None:
    """The member a raw token acts as, if the token is live and the member (and
    their login) still active."""
    token = (
        ApiToken.objects.select_related("member__organization", "member__user")
        .filter(
            token_hash=hash_token(raw),
            revoked_at__isnull=True,
            member__is_active=True,
            member__user__is_active=True,
        )  # fmt: skip
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Written at most every five minutes, so busy clients do not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.member


def profile_update(*, user: User, first_name: str, last_name: str, language: str) -> User:
    """A user's own name and language (empty: the organisation's)."""
    user_set_language(user=user, language=language)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return user


def organization_update(
    *, actor: Member, organization: Organization, conversion: Conversion | None = None
) -> Organization:
    """Save an organisation's settings; admins only, audited. A new base
    currency once money is recorded needs a confirmed `conversion`, which
    converts every amount (`currency.base_currency_change`, ADR 0013)."""
    if not actor.is_admin or actor.organization_id != organization.pk:
        raise PermissionDenied
    organization.full_clean()
    with transaction.atomic():
        stored = versions.lock_stored(Organization, organization.pk)
        versions.check_version(stored, organization.version)
        organization.version = stored.version + 1
        old_zone, old_currency = stored.time_zone, stored.currency
        organization.save()
        if old_currency != organization.currency:
            base_currency_change(actor=actor, organization=organization, old=old_currency,
                                 conversion=conversion)  # fmt: skip
        AuditEntry.objects.create(
            organization=organization, actor=actor, action="update",
            model=organization._meta.label_lower, object_id=str(organization.pk),
            summary=str(organization)[:255],
        )  # fmt: skip
        # Its currency and language show in every figure drawn from the cache.
        figures_changed(organization_id=organization.pk)
        if old_zone != organization.time_zone:
            time_zone_changed.send(
                sender=Organization, organization=organization, old=old_zone,
                new=organization.time_zone,
            )  # fmt: skip
    return organization


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES) and language != "":
        raise ValidationError({"language": _("Choose English or Spanish.")})
    user.language = language
    user.save(update_fields=["language"])


def figures_changed(*, organization_id: int) -> None:
    """Move the organisation's figures version on: every figure cached under the
    old one (rollup reads, scores, leaderboards) is no longer read. Call it in
    the transaction of the write that changed them, so the new version commits
    with the new data and never labels the old. ADR 0007."""
    Organization.objects.filter(pk=organization_id).update(
        figures_version=models.F("figures_version") + 1
    )
