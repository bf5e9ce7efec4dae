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

    def columns(self):
        from django.urls import reverse

        from campaigns.models import Campaign
        from core.columns import Column

        return [
            Column(
                key="campaigns",
                label=_("Activities"),
                url=reverse("campaigns:campaign-list"),
                items=lambda user: Campaign.objects.published(),
            )
        ]

    def home_block(self, request):
        from campaigns.models import Campaign

        campaigns = list(Campaign.objects.published()[:6])
        if not campaigns:
            return None
        return {"template": "campaigns/includes/home_block.html", "campaigns": campaigns}
