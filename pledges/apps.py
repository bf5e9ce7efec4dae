from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Pledges")
    unit_staff_permissions = ["view_pledgetext", "view_signature", "add_signature", "change_signature"]

    def navigation_item(self, request):
        from django.urls import reverse

        from pledges.models import PledgeText

        if PledgeText.objects.published().exists():
            return {"label": _("Clean-governance pledges"), "url": reverse("pledges:pledge-list")}
        return None
