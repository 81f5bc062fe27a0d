from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "rumbo.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from rumbo.search.people import register_people

        # Other kinds are registered by their apps (sales, goals) in their ready().
        register_people()
