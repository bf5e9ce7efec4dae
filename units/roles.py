"""Permission groups for the back-office roles, kept in step with the installed apps.

Each app lists the permissions its models grant to unit staff in its AppConfig, as
`unit_staff_permissions` (codenames such as "add_activityrecord"). Commission administrators
get every permission of every model. The groups are synced after each migrate, so a new staff
account works as soon as it is given a role.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

GROUP_NAMES = {
    "unit_staff": "单位填报员",
    "commission_admin": "纪委管理员",
}


def group_for_role(role: str) -> str:
    return GROUP_NAMES.get(role, role)


def roles_sync() -> None:
    staff_permissions = []
    for app_config in apps.get_app_configs():
        codenames = getattr(app_config, "unit_staff_permissions", [])
        if codenames:
            staff_permissions += list(
                Permission.objects.filter(content_type__app_label=app_config.label, codename__in=codenames)
            )
    staff_group, _created = Group.objects.get_or_create(name=GROUP_NAMES["unit_staff"])
    staff_group.permissions.set(staff_permissions)
    admin_group, _created = Group.objects.get_or_create(name=GROUP_NAMES["commission_admin"])
    admin_group.permissions.set(Permission.objects.all())


def roles_sync_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app that has models; sync after the last one, when every
    # permission exists.
    if sender is [app_config for app_config in apps.get_app_configs() if app_config.models_module][-1]:
        roles_sync()
