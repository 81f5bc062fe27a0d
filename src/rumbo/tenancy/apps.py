from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "rumbo.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and access")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from rumbo.tenancy import checks  # noqa: F401 - registers tenancy.E001-E003
        from rumbo.tenancy.models import Member, Team
        from rumbo.tenancy.receivers import people_changed_receiver

        for model in (Member, Team):
            for signal in (post_save, post_delete):
                uid = f"tenancy.figures.{signal is post_save}.{model.__name__}"
                signal.connect(people_changed_receiver, sender=model, dispatch_uid=uid)

        # Hand the ground kit (web/) the access path: web never imports tenancy.
        from rumbo.tenancy import scoping, versions
        from rumbo.tenancy.models import Role
        from rumbo.web.access import AccessPath, install

        install(AccessPath(
            is_visible=scoping.is_visible, can_create=scoping.can_create,
            can_write=scoping.can_write, is_admin_only=scoping.is_admin_only, people=Member,
            is_rep=lambda member: getattr(member, "role", None) == Role.REP,
            is_versioned=versions.is_versioned, parse_if_match=versions.parse_if_match,
            conflict=versions.Conflict, stale_version=versions.StaleVersion,
        ))  # fmt: skip
