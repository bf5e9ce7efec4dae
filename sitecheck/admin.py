"""The self-check in the back office: the dashboard (freshness of every public 栏目, the link
checker's last run, a button to start one), the runs, the broken links with filters, the export.

For commission administrators only: the 栏目 and their freshness belong to the site as a whole,
and the broken links are found in every unit's items (drafts excluded); unit staff mend their own
items through their usual lists."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.models import BackgroundJob
from core.spreadsheets import workbook_response
from sitecheck.models import BrokenLink, LinkCheckRun
from sitecheck.selectors import column_freshness
from sitecheck.services import LINK_CHECK_JOB, link_check_start
from units.scoping import ALL_UNITS, user_scope


def may_check_site(user) -> bool:
    return user.is_active and user.is_staff and user_scope(user) == ALL_UNITS


class CommissionOnly:
    def has_module_permission(self, request):
        return may_check_site(request.user)

    def has_view_permission(self, request, obj=None):
        return may_check_site(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def source_link(row: BrokenLink):
    """The item's change page in the admin, where the link is mended."""
    model = row.content_type.model_class()
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.object_id])
    except NoReverseMatch:
        return row.source
    return format_html('<a href="{}">{}</a>', url, row.source)


def export_rows(run: LinkCheckRun) -> list[list]:
    heading = [
        gettext("kind of item"),
        gettext("item"),
        gettext("field"),
        gettext("address"),
        gettext("HTTP status"),
        gettext("error"),
        gettext("checked at"),
    ]
    rows = [heading]
    for link in run.links.select_related("content_type"):
        rows.append(
            [
                str(link.content_type.model_class()._meta.verbose_name),
                link.source,
                link.field,
                link.url,
                link.status or "",
                link.get_error_display() if link.error else "",
                timezone.localtime(link.checked_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


@admin.register(LinkCheckRun)
class LinkCheckRunAdmin(CommissionOnly, admin.ModelAdmin):
    list_display = ["__str__", "finished_at", "requested_by", "links_checked", "broken_links"]
    list_select_related = ["requested_by"]
    date_hierarchy = "started_at"

    @admin.display(description=_("broken links"), ordering="broken_count")
    def broken_links(self, run):
        url = reverse("admin:sitecheck_brokenlink_changelist") + "?" + urlencode({"run__id__exact": run.pk})
        return format_html('<a href="{}">{}</a>', url, run.broken_count)

    def get_urls(self):
        return [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="sitecheck_dashboard"),
            path("start/", self.admin_site.admin_view(require_POST(self.start_view)), name="sitecheck_start"),
            path("<int:pk>/export/", self.admin_site.admin_view(self.export_view), name="sitecheck_export"),
            *super().get_urls(),
        ]

    def _require(self, request):
        if not may_check_site(request.user):
            raise PermissionDenied

    def dashboard_view(self, request):
        self._require(request)
        today = timezone.localdate()
        rows = [(row, row.overdue_days(today)) for row in column_freshness()]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Site self-check"),
            "opts": self.model._meta,
            "rows": rows,
            "overdue": sum(1 for _row, days in rows if days),
            "news_days": settings.SITECHECK_NEWS_DAYS,
            "other_days": settings.SITECHECK_OTHER_DAYS,
            "run": LinkCheckRun.objects.select_related("requested_by").first(),
            "job": BackgroundJob.objects.filter(kind=LINK_CHECK_JOB).order_by("-created_at", "-pk").first(),
        }
        return TemplateResponse(request, "admin/sitecheck/dashboard.html", context)

    def start_view(self, request):
        self._require(request)
        job = link_check_start(actor=request.user)
        job.refresh_from_db()
        if job.status == BackgroundJob.Status.DONE:
            messages.success(request, job.message)
        elif job.status == BackgroundJob.Status.FAILED:
            messages.error(request, job.message)
        else:
            messages.info(request, gettext("The link check has been queued; its results appear here when it ends."))
        return redirect("admin:sitecheck_dashboard")

    def export_view(self, request, pk):
        self._require(request)
        run = get_object_or_404(LinkCheckRun, pk=pk)
        filename = f"broken-links-{timezone.localtime(run.started_at):%Y%m%d-%H%M}.xlsx"
        return workbook_response(filename, [(gettext("Broken links"), export_rows(run))])


class StatusClassFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [("4xx", _("Not found or refused (4xx)")), ("5xx", _("Server error (5xx)")), ("error", _("No answer"))]

    def queryset(self, request, queryset):
        if self.value() == "4xx":
            return queryset.filter(status__gte=400, status__lt=500)
        if self.value() == "5xx":
            return queryset.filter(status__gte=500)
        if self.value() == "error":
            return queryset.exclude(error="")
        return queryset


@admin.register(BrokenLink)
class BrokenLinkAdmin(CommissionOnly, admin.ModelAdmin):
    list_display = ["url", "item", "field", "reason", "checked_at"]
    list_filter = ["run", StatusClassFilter, "error", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["url", "source"]

    @admin.display(description=_("item"), ordering="source")
    def item(self, row):
        return source_link(row)

    @admin.display(description=_("reason"))
    def reason(self, row):
        return row.reason
