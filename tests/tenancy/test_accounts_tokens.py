"""Personal API tokens at the service level (the API tests cover HTTP): stored
hashed, shown once, revocable, and dead once their owner is."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rumbo.tenancy import services
from rumbo.tenancy.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="  laptop  ")
    assert raw.startswith("rmb_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "laptop"
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:10]
    # No column holds the token itself.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(raw not in str(value) for value in row.values())


def test_each_token_is_different(world) -> None:  # type: ignore[no-untyped-def]
    raws = {services.api_token_create(member=world.rita, name="same")[1] for _ in range(5)}
    assert len(raws) == 5


def test_the_raw_token_authenticates_and_the_hash_does_not(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="ci")
    assert services.api_token_authenticate(raw) == world.rita
    assert services.api_token_authenticate(token.token_hash) is None
    assert services.api_token_authenticate(raw + "x") is None
    assert services.api_token_authenticate("") is None


def test_use_is_recorded(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="ci")
    assert token.last_used_at is None
    services.api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_stops_working_and_others_keep_working(world) -> None:  # type: ignore[no-untyped-def]
    old, old_raw = services.api_token_create(member=world.rita, name="old")
    _new, new_raw = services.api_token_create(member=world.rita, name="new")
    services.api_token_revoke(member=world.rita, token=old)
    assert services.api_token_authenticate(old_raw) is None
    assert services.api_token_authenticate(new_raw) == world.rita
    old.refresh_from_db()
    first = old.revoked_at
    assert first is not None
    # Revoking again changes nothing.
    services.api_token_revoke(member=world.rita, token=old)
    old.refresh_from_db()
    assert old.revoked_at == first


def test_nobody_else_can_revoke_a_token(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="mine")
    for other in (world.alice, world.mark, world.oscar):
        with pytest.raises(PermissionDenied):
            services.api_token_revoke(member=other, token=token)
    assert services.api_token_authenticate(raw) == world.rita


def test_a_deactivated_member_or_login_kills_the_token(world) -> None:  # type: ignore[no-untyped-def]
    _t, rita_raw = services.api_token_create(member=world.rita, name="r")
    _t, nina_raw = services.api_token_create(member=world.nina, name="n")
    world.rita.is_active = False
    world.rita.save()
    world.nina.user.is_active = False
    world.nina.user.save()
    assert services.api_token_authenticate(rita_raw) is None
    assert services.api_token_authenticate(nina_raw) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_refused_and_writes_nothing(world, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        services.api_token_create(member=world.rita, name=name)
    assert "name" in excinfo.value.message_dict
    assert not ApiToken.objects.exists()


def test_creating_and_revoking_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    token, _raw = services.api_token_create(member=world.rita, name="audited")
    services.api_token_revoke(member=world.rita, token=token)
    entries = AuditEntry.objects.filter(actor=world.rita).order_by("at", "pk")
    assert [e.action for e in entries] == ["create token", "revoke token"]
    assert all(e.changes["prefix"] == token.prefix for e in entries)


def test_the_tokens_page_shows_a_new_token_once(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    created = client.post(reverse("tenancy:token_list"), {"name": "script"})
    assert created.status_code == 200
    raw = created.context["raw"]
    assert raw and raw in created.content.decode()
    again = client.get(reverse("tenancy:token_list"))
    page = again.content.decode()
    assert raw not in page and raw[:10] in page and "script" in page


def test_the_tokens_page_revokes(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="gone")
    client = world.client("rita")
    response = client.post(reverse("tenancy:token_revoke", args=[token.pk]), follow=True)
    assert "Token “gone” revoked." in response.content.decode()
    assert services.api_token_authenticate(raw) is None
    # Another person's token answers 404 and stays alive.
    other, other_raw = services.api_token_create(member=world.nina, name="nina's")
    assert client.post(reverse("tenancy:token_revoke", args=[other.pk])).status_code == 404
    assert services.api_token_authenticate(other_raw) == world.nina


def test_a_stale_last_used_date_is_refreshed(world) -> None:  # type: ignore[no-untyped-def]
    token, raw = services.api_token_create(member=world.rita, name="old use")
    long_ago = timezone.now() - dt.timedelta(days=3)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    services.api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > long_ago
