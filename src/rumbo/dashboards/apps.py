from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "rumbo.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
