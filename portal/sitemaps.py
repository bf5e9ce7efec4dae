from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bases.models import EducationBase
from publications.models import Audience, Publication


class PagedSitemap(Sitemap):
    """Sections of 1,000 entries (the protocol allows 50,000, but a page that size takes a
    second to build)."""

    limit = 1000


class StaticPagesSitemap(Sitemap):
    def items(self):
        return ["portal:home", "portal:about", "bases:base-list", "publications:publication-list"]

    def location(self, item):
        return reverse(item)


class BaseSitemap(PagedSitemap):
    def items(self):
        # Only what the entry needs: a sitemap lists every item, and their texts are long.
        return EducationBase.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PublicationSitemap(PagedSitemap):
    """Public items only: restricted items never appear in a sitemap."""

    def items(self):
        return Publication.objects.published().filter(audience=Audience.PUBLIC).only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "bases": BaseSitemap, "publications": PublicationSitemap}
