from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitecheckConfig(AppConfig):
    """网站自查: what a government-site inspection looks at, checked before the inspectors do — the
    freshness of every public 栏目 and the links in every rich text and attachment list."""

    name = "sitecheck"
    verbose_name = _("Site self-check")
