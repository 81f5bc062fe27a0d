"""Recognition: badges people earn from written rules (a milestone reached, a
goal achieved, a promoter, a month of satisfied customers, a returning or a
recovered customer) and kudos a colleague gives with a line of text.

Who reads a moment (ADR 0020): the admins; a manager, the people of their
teams and below; a rep, themself and the people of their own team (their
peers), so a team can celebrate together; and whoever gave a kudos. Other
organisations never."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.tenancy.models import Member, TenantModel
from rumbo.tenancy.scoping import ADMIN_ONLY, visible_team_ids


def peers_rule(member: Member, path: str) -> Q:
    """Moments of `path` (a Member) that `member`, not an admin, may read."""
    mine = Q(**{path: member.pk})
    if member.role == "manager":
        return mine | Q(**{f"{path}__team_id__in": visible_team_ids(member)})
    if member.team_id is None:
        return mine
    return mine | Q(**{f"{path}__team_id": member.team_id})


class RuleSetting(TenantModel):
    """An admin's choice to switch one recognition rule on or off for the
    organisation. No row: the rule's default (see rules.RULES)."""

    rule = models.SlugField(_("rule"), max_length=40)
    enabled = models.BooleanField(_("on"), default=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    scope_owner = ADMIN_ONLY

    class Meta:
        verbose_name = _("recognition rule setting")
        verbose_name_plural = _("recognition rule settings")
        constraints = [
            models.UniqueConstraint(fields=["organization", "rule"], name="recognition_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {'on' if self.enabled else 'off'}"


class Badge(TenantModel):
    """A badge one member earned under one rule, about one thing (a goal, a
    customer, a month): at most once per (member, rule, subject), which the
    database enforces. It names no customer or goal (peers read it); its link
    leads to the record it is about, for those who may open it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badges",
                               verbose_name=_("person"))  # fmt: skip
    rule = models.SlugField(_("rule"), max_length=40)
    subject_key = models.CharField(_("subject"), max_length=100)
    link = models.CharField(_("link"), max_length=500, blank=True)
    earned_on = models.DateField(_("earned on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_owner = "member"

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-earned_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member", "rule", "subject_key"],
                name="badge_once_per_thing",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["organization", "earned_on"], name="badge_org_day")]

    def __str__(self) -> str:
        from rumbo.recognition.rules import rule_title

        return str(rule_title(self.rule))

    @classmethod
    def scope_rule(cls, member: Member) -> Q:
        return peers_rule(member, "member")


class Kudos(TenantModel):
    """A line of thanks from one member to another of the same organisation."""

    giver = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="kudos_given",
                              verbose_name=_("from"))  # fmt: skip
    receiver = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="kudos_received",
                                 verbose_name=_("to"))  # fmt: skip
    text = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    scope_owner = "receiver"

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="kudos_not_to_oneself"
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["organization", "created_at"], name="kudos_org_time")]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def scope_rule(cls, member: Member) -> Q:
        return peers_rule(member, "receiver") | Q(giver=member.pk)
