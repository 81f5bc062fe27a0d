"""Notifications listen to the apps where things happen: goals (progress
recorded, a proposal made or decided) and sales (a complaint or a survey
response saved). Connected in NotificationsConfig.ready."""

from __future__ import annotations

from typing import Any

from rumbo.notifications import feedback_events, goal_events
from rumbo.sales.models import Complaint, SurveyResponse


def progress_recorded_receiver(sender: Any, *, organization: Any, rows: Any,
                               **kwargs: Any) -> None:  # fmt: skip
    goal_events.progress_notify(organization=organization, rows=rows)


def goal_state_changed_receiver(sender: Any, *, actor: Any, goal: Any, **kwargs: Any) -> None:
    goal_events.goal_review_notify(actor=actor, goal=goal)


def feedback_recorded_receiver(sender: Any, *, actor: Any, record: Any, creating: bool,
                               **kwargs: Any) -> None:  # fmt: skip
    if isinstance(record, Complaint):
        feedback_events.complaint_notify(complaint=record, actor=actor, creating=creating)
    elif isinstance(record, SurveyResponse):
        feedback_events.survey_notify(response=record, actor=actor)
