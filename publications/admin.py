from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.periods import period_from_request
from core.spreadsheets import roster_rows, workbook_response
from publications.forms import AttachmentForm
from publications.models import Attachment, BulletinCase, Distribution, Placement, Publication, ReadReceipt
from publications.selectors import publication_totals, read_rates, unread_cadres
from publications.services import publication_save
from units.scoping import ScopedAdmin, ScopedInline, units_for


class AttachmentInline(ScopedInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "original_name", "size"]
    readonly_fields = ["original_name", "size"]


class DistributionInline(ScopedInline):
    model = Distribution
    extra = 0
    autocomplete_fields = ["unit"]


class PlacementInline(ScopedInline):
    model = Placement
    extra = 0


class BulletinCaseInline(admin.StackedInline):
    model = BulletinCase
    extra = 0
    fields = [("order", "problem_type"), ("unit_name", "position", "person_name"), "facts", "disposition"]


@admin.register(Publication)
class PublicationAdmin(ScopedAdmin):
    unit_field = "issuing_unit"
    inlines = [AttachmentInline, BulletinCaseInline, DistributionInline, PlacementInline]
    list_display = [
        "title",
        "kind",
        "issue_display",
        "audience",
        "issuing_unit",
        "copies_printed",
        "distributed_display",
        "is_published",
        "published_at",
    ]
    list_filter = ["kind", "audience", "is_published", "year", "issuing_unit"]
    search_fields = ["title", "series", "summary"]
    list_select_related = ["issuing_unit"]
    autocomplete_fields = ["issuing_unit"]
    readonly_fields = ["published_at", "read_rates_link"]
    date_hierarchy = "issued_on"
    change_list_template = "admin/publications/publication/change_list.html"
    fieldsets = [
        (None, {"fields": ["kind", "title", "audience", "issuing_unit", "issued_on", "summary", "body"]}),
        (_("Issue number"), {"fields": ["series", "year", "issue_number"]}),
        (_("Print run"), {"fields": ["copies_printed"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "read_rates_link"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(distributed=Sum("distributions__copies"))

    @admin.display(description=_("issue"), ordering="issue_number")
    def issue_display(self, obj):
        return obj.issue_label or "—"

    @admin.display(description=_("copies distributed"), ordering="distributed")
    def distributed_display(self, obj):
        return obj.distributed or 0

    @admin.display(description=_("read rates"))
    def read_rates_link(self, obj):
        if obj.pk is None or not obj.is_restricted:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:publications_publication_read_rates", args=[obj.pk]),
            _("Read rates per unit"),
        )

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        publication_save(publication=obj, actor=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/read-rates/",
                self.admin_site.admin_view(self.read_rates_view),
                name="publications_publication_read_rates",
            ),
            path("totals/", self.admin_site.admin_view(self.totals_view), name="publications_publication_totals"),
            *super().get_urls(),
        ]

    def read_rates_view(self, request, pk):
        """Who on the rosters of the staff member's units has confirmed studying the item."""
        publication = get_object_or_404(self.get_queryset(request), pk=pk)
        units = units_for(request.user)
        rows = read_rates(publication=publication, units=units)
        unread = unread_cadres(publication=publication, units=units)
        if request.GET.get("format") == "xlsx":
            return workbook_response(
                f"read-rates-{publication.pk}.xlsx",
                [
                    (
                        "学习情况",
                        [["单位", "名册人数", "已学习", "学习率"]]
                        + [[row["unit"].name, row["roster"], row["read"], f"{row['rate']:.0%}"] for row in rows],
                    ),
                    ("未学习名单", [["单位", "姓名", "职务"], *roster_rows(unread)]),
                ],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Read rates: %(title)s") % {"title": publication.title},
            "opts": self.model._meta,
            "publication": publication,
            "rows": rows,
            "unread": unread[:500],
            "unread_count": unread.count(),
        }
        return TemplateResponse(request, "admin/publications/publication/read_rates.html", context)

    def totals_view(self, request):
        start, end = period_from_request(request)
        totals = publication_totals(start=start, end=end, publications=self.get_queryset(request))
        kinds, channels = dict(Publication.Kind.choices), dict(Placement.Channel.choices)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copies and placements"),
            "opts": self.model._meta,
            "start": start,
            "end": end,
            "copies": [
                (label, totals["printed"].get(kind, 0), totals["distributed"].get(kind, 0))
                for kind, label in kinds.items()
                if totals["printed"].get(kind) or totals["distributed"].get(kind)
            ],
            "placements": [(channels[channel], count) for channel, count in totals["placements"].items()],
        }
        return TemplateResponse(request, "admin/publications/publication/totals.html", context)


@admin.register(Placement)
class PlacementAdmin(ScopedAdmin):
    unit_field = "publication__issuing_unit"
    list_display = ["publication", "channel", "date", "url"]
    list_filter = ["channel", "date", "publication__kind"]
    search_fields = ["publication__title", "note"]
    list_select_related = ["publication"]
    date_hierarchy = "date"
    autocomplete_fields = ["publication"]


@admin.register(ReadReceipt)
class ReadReceiptAdmin(ScopedAdmin):
    list_display = ["publication", "user", "unit", "read_at"]
    list_filter = ["publication__kind", "unit"]
    search_fields = ["publication__title", "user__username", "user__first_name", "unit__name"]
    list_select_related = ["publication", "user", "unit"]
    date_hierarchy = "read_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
