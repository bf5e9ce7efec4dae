from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.models import SiteSettings
from core.pagecache import remember


def navigation(request) -> list[dict]:
    """首页, then each app's column, in app order. An app offers its column through its
    AppConfig's `navigation_item(request)`, which returns an item, a list of items, or None while
    the column has no content: a government site shows no empty columns.

    Which columns have content changes only with content, and depends on who is looking (a cadre
    also has 案例通报): remembered per visitor until content changes."""
    items = [dict(item) for item in remember(f"navigation:{request.user.pk}", lambda: _columns(request))]
    # A view may name the column its page belongs to (a bulletin's page lives under /publications/).
    path = getattr(request, "navigation_path", request.path)
    for item in items:
        url = item["url"]
        item["active"] = path == url if url == "/" else path.startswith(url)
    return items


def _columns(request) -> list[dict]:
    items = [{"label": _("Home"), "url": reverse("portal:home")}]
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, "navigation_item", None)
        offered = provider(request) if provider else None
        if isinstance(offered, dict):
            items.append(offered)
        elif offered:
            items.extend(offered)
    return [{"label": str(item["label"]), "url": item["url"]} for item in items]


def site(request):
    """Site settings, navigation and the visitor's display preference, for every template.

    Both are lazy: the admin renders through this processor too but never shows the public
    navigation, so it should not pay for it."""
    # Not "site": Django's login and logout views put the contrib.sites Site under that name.
    return {
        "portal_site": SimpleLazyObject(lambda: remember("site-settings", SiteSettings.load)),
        "navigation": SimpleLazyObject(lambda: navigation(request)),
        "elder_mode": request.COOKIES.get(settings.ELDER_MODE_COOKIE) == "1",
    }
