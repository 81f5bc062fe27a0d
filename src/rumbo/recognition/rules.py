"""The recognition rules, written down once: each has a key, a title and a
description people read in the app (translated), whether it is on when an
admin has chosen nothing, and whether it can run at all yet (the on-time
follow-ups streak waits for the care app). docs/recognition.md says the same
in words; the awarding code is in `awards.py`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    title: Any  # lazy translation
    description: Any
    family: str  # "quantity" or "quality", shown side by side
    default_on: bool = True
    available: bool = True  # False: defined, but what it counts does not exist yet
    note: Any = ""


# The CSAT month: at least this many answers (a rate needs its count, metrics.md).
CSAT_MIN_RESPONSES = 5
# When the organisation's scorecard names no CSAT target.
CSAT_DEFAULT_TARGET = Decimal(80)
# The follow-up streak, once follow-ups exist: this many on time in a row.
STREAK_LENGTH = 10

RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            "milestone",
            _("Milestone reached"),
            _(
                "You reached a milestone of one of your goals on or before its date. "
                "Once per milestone."
            ),
            "quantity",
        ),
        Rule(
            "goal_achieved",
            _("Goal achieved"),
            _(
                "One of your goals reached its target: a running total the day it gets "
                "there, a rate or a score when its period ends on target. Once per goal."
            ),
            "quantity",
        ),
        Rule(
            "promoter",
            _("Promoter"),
            _(
                "A customer of yours answered the NPS survey with 9 or 10, or the CSAT "
                "survey with 5. Once per customer."
            ),
            "quality",
        ),
        Rule(
            "csat_month",
            _("A month of satisfied customers"),
            _(
                "Your CSAT for a calendar month met the organisation's target, with at "
                "least five answers. Once per month."
            ),
            "quality",
        ),
        Rule(
            "repeat_customer",
            _("Returning customer"),
            _(
                "A customer bought from you again: a won deal of a customer who had "
                "already bought. Once per customer."
            ),
            "quality",
        ),
        Rule(
            "recovered_customer",
            _("Customer recovered"),
            _(
                "A customer who complained had the complaint resolved and then bought "
                "again. Once per complaint."
            ),
            "quality",
        ),
        Rule(
            "followup_streak",
            _("Follow-ups on time"),
            _("Ten post-sale follow-ups in a row done by their due date. Once per streak."),
            "quality",
            default_on=False,
            available=False,
            note=_("Waiting for post-sale follow-ups: this rule cannot run until they exist."),
        ),
        Rule(
            "certification",
            _("Certified"),
            _("You earned a certification on a product you sell. Once per certification."),
            "quality",
            default_on=False,
            available=False,
            note=_(
                "Waiting for courses and certifications: this rule cannot run until they exist."
            ),
        ),
    )
}


def rule_title(key: str) -> Any:
    found = RULES.get(key)
    return found.title if found is not None else key
