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

        self.connect_page_cache()

    @staticmethod
    def connect_page_cache():
        """Every save or delete of a row that public pages show makes the cached pages stale."""
        from django.apps import apps
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.pagecache import content_changed

        for model in apps.get_models():
            if model._meta.app_label not in settings.PAGE_CACHE_CONTENT_APPS:
                continue
            uid = f"page-cache:{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(content_changed, sender=field.remote_field.through, dispatch_uid=uid)
