from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.validators import mask_phone
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The log of messages sent, for the commission's administrators (read only)."""

    list_display = ["created_at", "event", "channel", "masked_address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["event", "last_error"]
    date_hierarchy = None
    readonly_fields = [
        "event",
        "channel",
        "masked_address",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("address"))
    def masked_address(self, obj):
        return obj.address if "@" in obj.address else mask_phone(obj.address)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
