from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

from core.models import SiteSettings
from core.text import xml_safe
from publications.models import Audience, Publication


class NewsFeed(Feed):
    """Public items only: a feed is read by anyone."""

    description = _("Latest public news, notices and materials")

    def title(self):
        return xml_safe(SiteSettings.load().site_name)

    def link(self):
        return "/publications/"

    def items(self):
        return Publication.objects.published().filter(audience=Audience.PUBLIC).order_by("-published_at")[:30]

    def item_title(self, item):
        return xml_safe(item.title)

    def item_description(self, item):
        return xml_safe(item.summary)

    def item_pubdate(self, item):
        return item.published_at
