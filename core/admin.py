from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.models import SiteSettings, Topic


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


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "description", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code", "description"]

    def get_readonly_fields(self, request, obj=None):
        # The report selects by code: the built-in codes stay as they are.
        return ["code"] if obj is not None and obj.is_built_in else []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_built_in)
