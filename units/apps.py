from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and accounts")
    # Permissions the "unit staff" group gets for this app's models (see units.roles): staff keep
    # the units below their own (a township adds its villages), never anything outside it.
    unit_staff_permissions = ["view_unit", "add_unit", "change_unit"]

    def ready(self):
        from units.roles import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="units.roles_sync")
