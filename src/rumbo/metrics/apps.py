from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "rumbo.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        # The start-up check that every registered component has a rollup column.
        from rumbo.metrics import checks  # noqa: F401
