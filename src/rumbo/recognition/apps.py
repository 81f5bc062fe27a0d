from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "rumbo.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from rumbo.goals.signals import progress_recorded
        from rumbo.recognition import receivers
        from rumbo.sales.signals import facts_changed, feedback_recorded
        from rumbo.web.panels import contribute

        # Awarding listens where notifications listen (ADR 0016, ADR 0020).
        progress_recorded.connect(receivers.progress_recorded_receiver,
                                  dispatch_uid="recognition_progress")  # fmt: skip
        feedback_recorded.connect(receivers.feedback_recorded_receiver,
                                  dispatch_uid="recognition_feedback")  # fmt: skip
        facts_changed.connect(receivers.facts_changed_receiver,
                              dispatch_uid="recognition_facts")  # fmt: skip
        # A person's page shows their badges and kudos.
        from rumbo.recognition.panels import member_context

        contribute("tenancy.member", member_context)
