from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and bulk data (`load_demo`, `generate_bulk`): above every app it fills."""

    name = "demo"
    verbose_name = _("Demo data")
