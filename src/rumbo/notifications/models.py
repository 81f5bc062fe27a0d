"""In-app notifications: short messages for one member, read on the
notifications page and sent once in an email digest (daily, weekly or never,
as each member prefers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from typing import Self


class Kind(models.TextChoices):
    """What a notification is about (the page's filter). Other apps may send
    other kinds; these are the ones Rumbo sends today."""

    GOAL_STATUS = "goal_status", _("Goal at risk or off track")
    MILESTONE = "milestone", _("Milestone reached or missed")
    GOAL_REVIEW = "goal_review", _("Goal proposed, approved or rejected")
    COMPLAINT = "complaint", _("Complaint")
    DETRACTOR = "detractor", _("Unhappy customer (survey)")
    BADGE = "badge", _("Badge earned")
    KUDOS = "kudos", _("Kudos received")
    CUSTOMER_RED = "customer_red", _("Valuable customer at risk")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")


class Digest(models.TextChoices):
    """How often a member wants the email listing their unread notifications."""

    NONE = "none", _("Never")
    DAILY = "daily", _("Every morning")
    WEEKLY = "weekly", _("Every Monday morning")


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    def visible_to(self, member: Member) -> Self:  # type: ignore[override]
        """A notification is personal, like an API token: only its recipient sees
        it, whatever their role (an admin does not read their reps' reminders)."""
        return self.filter(organization_id=member.organization_id, recipient_id=member.pk)


class Notification(TenantModel):
    """One message for one member, created by a service of another app (goals
    remind an owner of a goal behind pace). The title and body are stored as
    rendered text in the recipient's language at the time it was sent (see
    docs/notifications.md). At most one per recipient, subject and day."""

    recipient = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )  # fmt: skip
    kind = models.SlugField(_("kind"), max_length=40)
    subject_key = models.CharField(_("subject"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()  # type: ignore[assignment,misc]
    scope_owner = "recipient"

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "recipient", "subject_key", "day"],
                name="notification_once_a_day",
            ),
        ]
        indexes = [
            # The navbar's unread count, on every page.
            models.Index(
                fields=["organization", "recipient", "read_at"], name="notification_unread"
            ),  # fmt: skip
            # The daily digest: only rows still waiting for an email.
            models.Index(
                fields=["organization", "recipient"],
                condition=Q(read_at__isnull=True, emailed_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A member's choice of email digest. No row means the default, daily.
    Owned through its member (like a goal's milestones), so it carries no
    organisation of its own and is only ever read for that member."""

    # Read only through its member (tenancy/checks.py, ADR 0015).
    scope_through = "member"

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="notification_preference",
        verbose_name=_("member"),
    )  # fmt: skip
    digest = models.CharField(_("email digest"), max_length=10, choices=Digest.choices,
                              default=Digest.DAILY)  # fmt: skip
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.digest}"
