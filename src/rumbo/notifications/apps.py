from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "rumbo.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from rumbo.notifications.selectors import unread_of_member
        from rumbo.tenancy.selectors import MEMBER_EXTRAS

        MEMBER_EXTRAS["notifications_unread"] = unread_of_member
