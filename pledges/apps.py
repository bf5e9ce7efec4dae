from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Pledges")
    unit_staff_permissions = ["view_pledgetext", "view_signature", "add_signature", "change_signature"]

    def columns(self):
        from django.urls import reverse

        from core.columns import Column
        from pledges.models import PledgeText

        return [
            Column(
                key="pledges",
                label=_("Clean-governance pledges"),
                url=reverse("pledges:pledge-list"),
                items=lambda user: PledgeText.objects.published(),
            )
        ]
