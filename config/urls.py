from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal.sitemaps import SITEMAPS
from portal.views import healthz
from publications.feeds import NewsFeed

admin.site.site_header = _("Qingfeng portal back office")
admin.site.site_title = _("Qingfeng back office")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/mfa/", include("security.urls")),
    path("healthz", healthz, name="healthz"),
    path("bases/", include("bases.urls")),
    path("pledges/", include("pledges.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("search/", include("search.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("news/feed/", NewsFeed(), name="news-feed"),
    # An index of sections of at most SITEMAP_PAGE entries each: small answers at any size.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("", include("publications.urls")),
    path("", include("reports.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    # Development only: in production the web server or object storage serves media.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
