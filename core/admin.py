from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(SimpleHistoryAdmin):
    fieldsets = [
        (
            None,
            {"fields": ["site_name", "commission_name", "city_name", "organiser", "intro", "about", "privacy_notice"]},
        ),
        ("联系方式", {"fields": ["address", "phone", "email"]}),
        (
            "备案与标识",
            {
                "fields": [
                    "icp_number",
                    "icp_link",
                    "police_filing_number",
                    "police_filing_link",
                    "site_code",
                    "party_label_code",
                    "report_link",
                ]
            },
        ),
        ("显示", {"fields": ["grey_mode"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
