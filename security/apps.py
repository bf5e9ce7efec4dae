from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Account security: two-factor authentication (django-otp), session limits, the per-address
    login throttle beside django-axes, the password rules and the security log. It stands on the
    floor of `units` and imports only `core` and `units`."""

    name = "security"
    verbose_name = _("Account security")

    def ready(self):
        from security import receivers

        receivers.connect()
