from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "rumbo.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # SQLite compares text through rumbo_fold (folding.py); PostgreSQL needs nothing.
        from rumbo.search.folding import install
        from rumbo.search.people import register_people

        install()
        # Other kinds are registered by their apps (sales, goals) in their ready().
        register_people()
