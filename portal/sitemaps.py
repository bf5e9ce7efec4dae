from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bases.models import EducationBase
from publications.models import Audience, Publication


class StaticPagesSitemap(Sitemap):
    def items(self):
        return ["portal:home", "portal:about", "bases:base-list", "publications:publication-list"]

    def location(self, item):
        return reverse(item)


class BaseSitemap(Sitemap):
    def items(self):
        return EducationBase.objects.published()

    def lastmod(self, item):
        return item.updated_at


class PublicationSitemap(Sitemap):
    """Public items only: restricted items never appear in a sitemap."""

    def items(self):
        return Publication.objects.published().filter(audience=Audience.PUBLIC)

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "bases": BaseSitemap, "publications": PublicationSitemap}
