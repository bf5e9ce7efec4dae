from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Holiday inspections")
    # Unit staff record their units' inspections; the occasions and their dates are the commission's.
    unit_staff_permissions = [
        "view_occasion",
        "view_occasionperiod",
        *(f"{action}_inspection" for action in ["view", "add", "change", "delete"]),
    ]
