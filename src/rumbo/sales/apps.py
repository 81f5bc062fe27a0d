from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "rumbo.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        # Register the sales components and metrics with the metrics engine.
        from rumbo.sales import currency_change, metrics

        metrics.register()

        # A member's page shows the records they own: sales contributes the panels.
        from rumbo.sales.panels import member_context
        from rumbo.web.panels import contribute

        contribute("tenancy.member", member_context)
        # What a converting change of the base currency converts (ADR 0013).
        currency_change.register()
        from rumbo.sales import search_kinds  # noqa: F401 - registers its kinds with search
