from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rumbo.demo"
    label = "demo"
    verbose_name = "Demo data"
