from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "rumbo.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from rumbo.goals.signals import goal_state_changed, progress_recorded
        from rumbo.notifications import receivers
        from rumbo.sales.signals import feedback_recorded

        progress_recorded.connect(receivers.progress_recorded_receiver,
                                  dispatch_uid="notifications_progress")  # fmt: skip
        goal_state_changed.connect(receivers.goal_state_changed_receiver,
                                   dispatch_uid="notifications_goal_state")  # fmt: skip
        feedback_recorded.connect(receivers.feedback_recorded_receiver,
                                  dispatch_uid="notifications_feedback")  # fmt: skip
