from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and activities")
    unit_staff_permissions = [
        f"{action}_{model}"
        for model in ["campaign", "activityrecord", "activityoutput", "activityphoto"]
        for action in ["view", "add", "change", "delete"]
    ] + ["view_opencall", "view_submission", "change_submission", "view_sector"]

    def navigation_item(self, request):
        from django.urls import reverse

        from campaigns.models import Campaign

        if Campaign.objects.published().exists():
            return {"label": _("Activities"), "url": reverse("campaigns:campaign-list")}
        return None

    def home_block(self, request):
        from campaigns.models import Campaign

        campaigns = list(Campaign.objects.published()[:6])
        if not campaigns:
            return None
        return {"template": "campaigns/includes/home_block.html", "campaigns": campaigns}
