"""Sign-up with a confirmed address, and the throttle on messages sent to
addresses a visitor types (sign-up, password reset). ADR 0009.

A sign-up creates nothing but a request until the link emailed to the address
is opened: only then do the organisation, its admin and the login exist. What
the visitor sees after submitting is the same whether or not the address
already has a login; the message tells the owner of an existing login to log
in or reset their password instead of offering a second account."""

from __future__ import annotations

import hashlib
import secrets
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rumbo.tenancy.models import Member, Organization, SignupRequest, User, normalize
from rumbo.tenancy.services import hash_token, organization_create

SIGNUP_LINK_HOURS = 24


def allowed(*, scope: str, email: str, client: str) -> bool:
    """Count one message of `scope` asked for `email` by `client` (an address)
    and say whether it may be sent: at most ACCOUNT_EMAILS_PER_ADDRESS per hour
    to one address and ACCOUNT_EMAILS_PER_CLIENT per hour from one client, so
    the forms cannot flood an inbox or be used to mail thousands of strangers.
    Refused requests count too. Kept in the cache: losing it only resets the
    counts."""
    email_key = hashlib.sha256(normalize(email).encode()).hexdigest()  # type: ignore[union-attr]
    counts = [
        _hit(f"throttle:{scope}:email:{email_key}") <= settings.ACCOUNT_EMAILS_PER_ADDRESS,
        _hit(f"throttle:{scope}:client:{client}") <= settings.ACCOUNT_EMAILS_PER_CLIENT,
    ]
    return all(counts)


def _hit(key: str, window: int = 3600) -> int:
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def signup_request(*, data: dict[str, Any], base_url: str, client: str) -> None:
    """Email the address in `data` a link that creates the organisation, or,
    when the address already has a login, a message saying so. Stores the
    request (password hashed) only in the first case. Says nothing back, so the
    caller cannot tell which happened; a throttled request sends nothing."""
    email = normalize(data["email"]) or ""
    if not allowed(scope="signup", email=email, client=client):
        return
    now = timezone.now()
    SignupRequest.objects.filter(expires_at__lt=now).delete()
    raw = secrets.token_urlsafe(32)
    base = base_url.rstrip("/")
    existing = User.objects.filter(email=email).exists()
    # Hashed either way, so the answer takes as long for a known address.
    password_hash = make_password(data["password"])
    with translation.override(data.get("language") or settings.LANGUAGE_CODE):
        context = {"link": f"{base}/signup/confirm/{raw}/", "login": f"{base}/login/",
                   "reset": f"{base}/password/reset/", "hours": SIGNUP_LINK_HOURS,
                   "organization": data["organization"]}  # fmt: skip
        template = "tenancy/email/signup_exists.txt" if existing else "tenancy/email/signup.txt"
        subject = _("Your Rumbo account") if existing else _("Confirm your email for Rumbo")
        body = render_to_string(template, context)
    if not existing:
        stored = {k: v for k, v in data.items() if k != "password"}
        stored["password_hash"] = password_hash
        SignupRequest.objects.create(
            email=email, token_hash=hash_token(raw), data=stored,
            expires_at=now + timedelta(hours=SIGNUP_LINK_HOURS),
        )  # fmt: skip
    try:
        send_mail(subject, body, None, [email])
    except (OSError, smtplib.SMTPException) as exc:
        SignupRequest.objects.filter(token_hash=hash_token(raw)).delete()
        raise ValidationError(
            _("The message could not be sent (%(error)s); try again later.") % {"error": exc}
        ) from exc


def signup_lookup(raw: str) -> SignupRequest | None:
    """The sign-up behind a link, if unused and unexpired."""
    request = SignupRequest.objects.filter(
        token_hash=hash_token(raw), used_at__isnull=True, expires_at__gte=timezone.now()
    ).first()
    return request


@transaction.atomic
def signup_confirm(*, request: SignupRequest, slug: str) -> tuple[Organization, Member]:
    """Create the organisation, its admin and the login from a confirmed
    sign-up (the `rumbo org create` path), and use up the link."""
    now = timezone.now()
    claimed = SignupRequest.objects.filter(
        pk=request.pk, used_at__isnull=True, expires_at__gte=now
    ).update(used_at=now)
    if not claimed:
        raise ValidationError(_("This link has already been used or has expired."))
    data = request.data
    if User.objects.filter(email=request.email).exists():
        # Confirmed twice (two requests), or invited and accepted meanwhile.
        raise ValidationError(_("An account with this email exists; log in instead."))
    try:
        with transaction.atomic():
            org, member = organization_create(
                slug=slug, name=data["organization"], currency=data["currency"],
                admin_email=request.email, admin_name=data["name"], password=None,
                language=data["language"], time_zone=data["time_zone"],
                independent=bool(data.get("independent")),
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(_("An account with this email exists; log in instead.")) from exc
    user = member.user
    assert user is not None
    user.password = data["password_hash"]
    user.save(update_fields=["password"])
    SignupRequest.objects.filter(email=request.email, used_at__isnull=True).update(used_at=now)
    return org, member
