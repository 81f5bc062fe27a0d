"""The care app's models, one module per part: plans and follow-ups here;
surveys, complaint service levels and health each add their own module."""

from rumbo.care.models.calendar import CalendarFeed  # noqa: F401
from rumbo.care.models.followups import CarePlan, CareStep, FollowUp, FollowUpChange
from rumbo.care.models.health import CustomerHealth, HealthSettings  # noqa: F401
from rumbo.care.models.surveys import SurveyInvitation, SurveyLink, SurveyOptOut  # noqa: F401

__all__ = ["CarePlan", "CareStep", "FollowUp", "FollowUpChange"]
