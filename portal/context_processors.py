from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.columns import Column
from core.models import SiteSettings
from core.pagecache import remember


def navigation(request) -> list[dict]:
    """首页, then each app's columns, in app order. An app declares its columns through its
    AppConfig's `columns()` (core/columns.py); a column is shown only while it has items for the
    visitor: a government site shows no empty columns (one query per column). An app may also
    offer a page of the visitor's own through `navigation_item(request)`.

    Which columns have content changes only with content, and depends on who is looking (a cadre
    also has 案例通报): remembered per visitor until content changes."""
    items = [dict(item) for item in remember(f"navigation:{request.user.pk}", lambda: _columns(request))]
    # A view may name the column its page belongs to (a bulletin's page lives under /publications/).
    path = getattr(request, "navigation_path", request.path)
    for item in items:
        url = item["url"]
        item["active"] = path == url if url == "/" else path.startswith(url)
    return items


def site_columns() -> list[Column]:
    """Every column the apps declare, in app order."""
    return [column for app_config in apps.get_app_configs() for column in getattr(app_config, "columns", list)()]


def _columns(request) -> list[dict]:
    items = [{"label": _("Home"), "url": reverse("portal:home")}]
    for app_config in apps.get_app_configs():
        items += [
            {"label": column.label, "url": column.url}
            for column in getattr(app_config, "columns", list)()
            if column.in_navigation and column.items(request.user).exists()
        ]
        # A page of the visitor's own rather than a column of content (我的测验): offered by
        # `navigation_item(request)`, an item or None.
        provider = getattr(app_config, "navigation_item", None)
        offered = provider(request) if provider else None
        if offered:
            items.append(offered)
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
