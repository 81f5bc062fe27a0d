from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "rumbo.care"
    label = "care"
    verbose_name = _("Customer care")

    def ready(self) -> None:
        # The jobs modules register Huey tasks (surveys, customer health's daily sweep).
        from rumbo.care import exports, health_tasks, metrics, receivers, survey_tasks  # noqa: F401
        from rumbo.care.health_views import customer_figures
        from rumbo.sales.signals import facts_changed
        from rumbo.web.panels import contribute

        # Every write of deals (a page, the API, an import) says which (rep, close
        # day) keys it touched: plans start and stop from there, in its transaction.
        facts_changed.connect(receivers.deals_changed_receiver, dispatch_uid="care_deals")
        # Follow-ups done (on time) and won deals followed up, in the metrics engine.
        metrics.register()
        exports.register()  # follow-ups in the CSV / XLSX exports
        # Customer health on the customer page.
        contribute("sales.customer", customer_figures)
