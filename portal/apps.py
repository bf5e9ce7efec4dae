from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site layer, above every domain app: home page, navigation, sitemaps, the public
    pages of the site itself (about, privacy), display preferences and /healthz."""

    name = "portal"
    verbose_name = _("Public site")
