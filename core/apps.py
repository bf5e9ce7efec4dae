from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: building blocks every app may import (rich text, images, spreadsheets,
    fields, validators, storage, errors, locking, middleware, the site settings row).
    It imports no app of the project; tests/test_layers.py keeps it so."""

    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from core import checks  # noqa: F401 - registers the system checks
