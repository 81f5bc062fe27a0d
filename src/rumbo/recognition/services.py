"""Writes of recognition: award a badge (once per member, rule and thing, only
under a rule the organisation has on), give kudos, switch rules on and off.
Each new badge or kudos is announced to its person in the notifications."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.notifications.services import notification_send
from rumbo.recognition.models import Badge, Kudos, RuleSetting
from rumbo.recognition.rules import RULES
from rumbo.tenancy.models import Member, Role
from rumbo.tenancy.records import audit

KIND_BADGE = "badge"
KIND_KUDOS = "kudos"
MAX_TEXT = 280


def enabled_rules(organization_id: int) -> frozenset[str]:
    """The rules that award in this organisation: each rule's default, as the
    admin changed it; a rule that cannot run yet is never on."""
    chosen = dict(RuleSetting.objects.filter(organization_id=organization_id)
                  .values_list("rule", "enabled"))  # fmt: skip
    return frozenset(key for key, rule in RULES.items()
                     if rule.available and chosen.get(key, rule.default_on))  # fmt: skip


def rule_settings_set(*, actor: Member, enabled: Iterable[str]) -> frozenset[str]:
    """An admin switches the rules: those named in `enabled` on, every other off.
    A rule that cannot run yet stays off. One audit entry per rule changed."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied
    wanted = set(enabled)
    unknown = wanted - set(RULES)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValidationError({"rules": _("Unknown rule: %(keys)s.") % {"keys": names}})
    before = enabled_rules(actor.organization_id)
    with transaction.atomic():
        for key, rule in RULES.items():
            on = key in wanted and rule.available
            if on == (key in before):
                continue
            row, _created = RuleSetting.objects.update_or_create(
                organization_id=actor.organization_id, rule=key, defaults={"enabled": on}
            )
            audit(actor=actor, action="update", obj=row, changes={"enabled": [not on, on]})
    return enabled_rules(actor.organization_id)


def badge_award(*, member: Member, rule: str, subject_key: str, day: dt.date, link: str = "",
                at: dt.datetime | None = None, enabled: frozenset[str] | None = None
                ) -> Badge | None:  # fmt: skip
    """Award `member` the badge of `rule` for `subject_key` ("goal:12"), earned
    on `day`, and tell them. Nothing happens (None) when the rule is off, the
    member is inactive, or they already have it: a badge is earned once per
    thing, however often the event repeats. `enabled`: the organisation's
    rules, when the caller has them already (a sweep)."""
    if enabled is None:
        enabled = enabled_rules(member.organization_id)
    if rule not in enabled or not member.is_active:
        return None
    found = Badge.objects.filter(organization_id=member.organization_id, member=member,
                                 rule=rule, subject_key=subject_key)  # fmt: skip
    if found.exists():
        return None
    badge = Badge(organization_id=member.organization_id, member=member, rule=rule,
                  subject_key=subject_key, link=link, earned_on=day)  # fmt: skip
    try:
        with transaction.atomic():
            badge.save()
            if at is not None:  # auto_now_add ignores a given value
                Badge.objects.filter(pk=badge.pk).update(created_at=at)
                badge.created_at = at
    except IntegrityError:
        return None  # a parallel award got there first
    title = RULES[rule].title
    notification_send(
        recipient=member, kind=KIND_BADGE, subject_key=f"badge:{badge.pk}", once=True,
        title=format_lazy(gettext_lazy("Badge earned: {title}"), title=title),
        body=RULES[rule].description, link=moment_link(badge), day=day, at=at,
    )  # fmt: skip
    return badge


def _local_day(member: Member, at: dt.datetime | None) -> dt.date | None:
    """The organisation's date of a moment in the past (None: today)."""
    if at is None:
        return None
    return at.astimezone(zoneinfo.ZoneInfo(member.organization.time_zone)).date()


def moment_link(moment: Badge | Kudos) -> str:
    """Where a notice about a moment leads: the moment on the team feed."""
    anchor = "badge" if isinstance(moment, Badge) else "kudos"
    return f"{reverse('recognition:feed')}#{anchor}-{moment.pk}"


def kudos_give(*, actor: Member, receiver: Member | None, text: str,
               at: dt.datetime | None = None) -> Kudos:  # fmt: skip
    """`actor` thanks `receiver` with a line of text (1–280 characters), and the
    receiver hears of it. Refused, with nothing written, for an empty or too
    long text, oneself, or somebody the actor may not give kudos to (another
    organisation, somebody outside their view): ValidationError by field."""
    from rumbo.recognition.selectors import kudos_recipients

    errors: dict[str, str] = {}
    text = " ".join((text or "").split())
    if not text:
        errors["text"] = _("Write a line saying what you thank them for.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Keep it to %(max)d characters (this has %(n)d).") % {
            "max": MAX_TEXT, "n": len(text)}  # fmt: skip
    if receiver is not None and receiver.pk == actor.pk:
        errors["receiver"] = _("Kudos go to somebody else, not to yourself.")
    elif receiver is None or not kudos_recipients(actor).filter(pk=receiver.pk).exists():
        errors["receiver"] = _("Choose somebody of your team to thank.")
    if errors:
        raise ValidationError(errors)
    assert receiver is not None
    with transaction.atomic():
        kudos = Kudos.objects.create(organization_id=actor.organization_id, giver=actor,
                                     receiver=receiver, text=text)  # fmt: skip
        if at is not None:
            Kudos.objects.filter(pk=kudos.pk).update(created_at=at)
            kudos.created_at = at
        audit(actor=actor, action="create", obj=kudos)
    notification_send(
        recipient=receiver, kind=KIND_KUDOS, subject_key=f"kudos:{kudos.pk}", once=True,
        title=format_lazy(gettext_lazy("Kudos from {giver}"), giver=actor.name), body=text,
        link=moment_link(kudos), at=at,
        day=_local_day(actor, at),
    )  # fmt: skip
    return kudos
