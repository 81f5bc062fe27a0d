"""A member's private calendar feed: only the SHA-256 of its token is stored;
regenerating replaces it, revoking removes it (the old link answers 404)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member


class CalendarFeed(models.Model):
    """One feed per member, read through the member (like an API token)."""

    scope_through = "member"

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.member_id}"
