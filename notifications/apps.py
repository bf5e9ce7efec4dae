from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people: one service (`notify`) that writes each message as a row and delivers it
    after the transaction commits, through a channel (email by Django's email backend, text
    messages through a provider backend), retrying failures and logging every attempt. It stands
    on the floor of `security` and imports only `core` and `units`; the apps above decide what to
    say and to whom."""

    name = "notifications"
    verbose_name = _("Notifications")
