from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "rumbo.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from rumbo.web.folding import install
        from rumbo.web.text import refuse_control_characters

        refuse_control_characters()
        # SQLite orders search results through rumbo_fold (folding.py); PostgreSQL needs nothing.
        install()
