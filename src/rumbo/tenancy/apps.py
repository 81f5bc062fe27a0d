from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "rumbo.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and access")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from rumbo.tenancy.models import Member, Team
        from rumbo.tenancy.receivers import people_changed_receiver

        for model in (Member, Team):
            for signal in (post_save, post_delete):
                uid = f"tenancy.figures.{signal is post_save}.{model.__name__}"
                signal.connect(people_changed_receiver, sender=model, dispatch_uid=uid)
