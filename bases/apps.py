from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("Education bases")
    unit_staff_permissions = [
        f"{action}_{model}"
        for model in ["educationbase", "exhibitionsection", "basephoto", "cultureasset", "volunteer", "visitslot"]
        for action in ["view", "add", "change", "delete"]
    ] + ["view_visitbooking", "change_visitbooking"]

    def columns(self):
        from django.urls import reverse

        from bases.models import EducationBase
        from core.columns import Column

        return [
            Column(
                key="bases",
                label=_("Education bases"),
                url=reverse("bases:base-list"),
                items=lambda user: EducationBase.objects.published(),
            )
        ]

    def home_block(self, request):
        from bases.models import EducationBase

        bases = list(EducationBase.objects.published().select_related("township")[:4])
        if not bases:
            return None
        return {"template": "bases/includes/home_block.html", "bases": bases}
