from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "rumbo.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and access")
