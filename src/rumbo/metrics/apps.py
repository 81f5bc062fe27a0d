from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "rumbo.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        # The start-up check that every registered component has a rollup column.
        from rumbo.metrics import checks  # noqa: F401
        from rumbo.metrics.receivers import time_zone_changed_receiver
        from rumbo.tenancy.signals import time_zone_changed

        # A new time zone moves timestamp-based facts to other days: rebuild.
        time_zone_changed.connect(time_zone_changed_receiver, dispatch_uid="metrics.time_zone")
