from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "rumbo.goals"
    label = "goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        from rumbo.goals.receivers import rollups_refreshed_receiver
        from rumbo.metrics.signals import rollups_refreshed

        rollups_refreshed.connect(rollups_refreshed_receiver, dispatch_uid="goals_follow_rollups")

        # A goal on a scorecard metric, owner and period is that scorecard line's target.
        from rumbo.goals.selectors import period_goal_targets
        from rumbo.metrics.targets import register_goal_reader

        register_goal_reader(period_goal_targets)
        from rumbo.goals import search_kinds  # noqa: F401 - registers goals with search
