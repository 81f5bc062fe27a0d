"""Who may read each kind of record: the access tests' own table, written from
the design (architecture.md, "Access control: one path") and never read from
the models' `scope_owner`, so that a wrong declaration shows up as a walk
failure instead of moving the expectation along with it (ADR 0015).

`test_table_covers_every_tenant_model` fails when a model with an organisation
is missing here: a new tenant model cannot be added without saying, in the
tests, who should see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Owned:
    """Read and written by the admin, the Member reached by `path`, and a
    manager whose teams include that Member's team."""

    path: str


@dataclass(frozen=True)
class Rule:
    """A rule that is not an owner path."""

    name: str


CATALOGUE = Rule("catalogue")  # everyone in the organisation reads, admins write
ADMIN_ONLY = Rule("admin only")  # the organisation's admins; anybody else 403 by role
SELF = Rule("self")  # members: admins write; a manager reads their teams' people, a rep themself
TEAM = Rule("team")  # teams: a manager reads theirs and below, a rep their own team
HOLDER = Rule("holder")  # only the one it belongs to, whatever the role (admins included)
GOAL = Rule("goal")  # a rep's, a team's or the organisation's (rules._goal_read)
# Recognition (ADR 0020): the admins; a manager, the people of their teams; a rep,
# themself and their own team's people; and whoever gave it (rules._peers_read).
PEERS = Rule("peers")

# Model label -> who reads it. Every model with an organisation foreign key,
# and the API token (a member's own, without an organisation of its own).
EXPECTED: dict[str, Owned | Rule] = {
    "tenancy.Team": TEAM,
    "tenancy.Member": SELF,
    "tenancy.AuditEntry": ADMIN_ONLY,
    "tenancy.ApiToken": HOLDER,
    "sales.Product": CATALOGUE,
    "sales.Technique": CATALOGUE,
    "sales.ExchangeRate": CATALOGUE,
    "sales.Customer": Owned("owner"),
    "sales.Contact": Owned("customer__owner"),
    "sales.Deal": Owned("owner"),
    "sales.Activity": Owned("owner"),
    "sales.SurveyResponse": Owned("rep"),
    "sales.Complaint": Owned("rep"),
    "imports.ImportJob": ADMIN_ONLY,
    "imports.ColumnMapping": ADMIN_ONLY,
    "imports.Alias": ADMIN_ONLY,
    "metrics.RollupDay": Owned("member"),
    "metrics.RollupMonth": Owned("member"),
    "metrics.FirstFact": Owned("member"),
    "metrics.ScorecardMetric": CATALOGUE,
    "goals.Goal": GOAL,
    "care.CarePlan": CATALOGUE,
    "care.FollowUp": Owned("owner"),
    "care.HealthSettings": ADMIN_ONLY,
    "care.CustomerHealth": Owned("customer__owner"),
    "care.CalendarFeed": HOLDER,
    "care.SurveyInvitation": Owned("rep"),
    "care.SurveyOptOut": ADMIN_ONLY,
    "notifications.Notification": HOLDER,
    "recognition.RuleSetting": ADMIN_ONLY,
    "recognition.Badge": PEERS,
    "recognition.Kudos": PEERS,
}

# Rankings name people and teams without opening them (issue 17): on these
# paths, beside whom they may read, a rep reads the names, scores and ranks of
# the people of their own team and every team below it, and those teams'
# names — the organisation's defaults (names shown, teams only). Never their
# records: each still answers 404 (rules.ranked).
RANKINGS = ("/leaderboard/", "/api/v1/leaderboards")

# Whose record a HOLDER row is (the field naming that Member).
HOLDER_FIELD = {
    "tenancy.ApiToken": "member",
    "care.CalendarFeed": "member",
    "notifications.Notification": "recipient",
}
# Whose moment a PEERS row is, and who gave it (if anyone).
PEERS_FIELDS = {"recognition.Badge": ("member", ""), "recognition.Kudos": ("receiver", "giver")}

# Models with no organisation of their own that belong to a tenant record, and
# the field they are read through: whoever may read the record reads them.
THROUGH: dict[str, str] = {
    "tenancy.Invitation": "member",
    "tenancy.ApiToken": "member",
    "sales.DealLine": "deal",
    "goals.Milestone": "goal",
    "goals.Progress": "goal",
    "notifications.NotificationPreference": "member",
    "care.CareStep": "plan",
    "care.FollowUpChange": "follow_up",
    "care.CalendarFeed": "member",
    "care.SurveyLink": "invitation",
}
