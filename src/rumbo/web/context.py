"""Navigation that fits the role of the person looking."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str

    @property
    def url(self) -> str:
        return _path(self.url_name, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _path(url_name: str, prefix: str) -> str:
    """A menu entry's path, reversed once per process (and script prefix): the
    menu is on every page, twice per entry (the link and the active tab)."""
    return reverse(url_name)


PERFORMANCE = [
    NavItem(_("Goals"), "goals:goal_list", "bullseye"),
    NavItem(_("Scorecard"), "metrics:scorecard", "speedometer2"),
    NavItem(_("Leaderboard"), "metrics:leaderboard", "trophy"),
    NavItem(_("Recognition"), "recognition:feed", "award"),
]
RECORDS = [
    NavItem(_("Deals"), "sales:deal_list", "briefcase"),
    NavItem(_("Customers"), "sales:customer_list", "people"),
    NavItem(_("Customers at risk"), "care:at_risk", "heart-pulse"),
    NavItem(_("Follow-ups"), "care:followup_list", "telephone-forward"),
    NavItem(_("Activities"), "sales:activity_list", "calendar-check"),
    NavItem(_("Surveys"), "sales:surveyresponse_list", "emoji-smile"),
    NavItem(_("Complaints"), "sales:complaint_list", "exclamation-triangle"),
]
CATALOGUES = [
    NavItem(_("Contacts"), "sales:contact_list", "person-lines-fill"),
    NavItem(_("Products"), "sales:product_list", "box-seam"),
    NavItem(_("Techniques"), "sales:technique_list", "lightbulb"),
    NavItem(_("Exchange rates"), "sales:exchangerate_list", "currency-exchange"),
    NavItem(_("Care plans"), "care:careplan_list", "signpost-split"),
]
# Admins bring data in (and keep the aliases and saved mappings) from here.
IMPORTS = NavItem(_("Imports"), "imports:job_list", "upload")
PEOPLE = [
    NavItem(_("Members"), "tenancy:member_list", "person-badge"),
    NavItem(_("Teams"), "tenancy:team_list", "diagram-3"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    member = getattr(request, "member", None)
    if member is None:
        return {"nav_records": [], "nav_catalogues": [], "nav_people": [], "member": None}
    people = PEOPLE if member.role in ("admin", "manager") else []
    return {
        "member": member,
        # The bell's count, kept on the member row by the notification services.
        "notifications_unread": member.unread_notifications,
        "nav_records": PERFORMANCE + RECORDS,
        "nav_catalogues": [*CATALOGUES, IMPORTS] if member.role == "admin" else CATALOGUES,
        "nav_people": people,
    }

