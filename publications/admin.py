from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.listfilters import year_filter
from core.periods import period_from_request
from core.spreadsheets import roster_rows, workbook_response
from publications.forms import AttachmentForm
from publications.models import (
    Attachment,
    AttachmentDelivery,
    Audience,
    BulletinCase,
    Distribution,
    Placement,
    Publication,
    ReadReceipt,
)
from publications.selectors import (
    distribution_ledger,
    ledger_items,
    period_items,
    publication_totals,
    read_rate_items,
    read_rate_overview,
    read_rates,
    sees_whole_ledger,
    unread_cadres,
)
from publications.services import publication_save
from units.review import ReviewAdminMixin, review_check_edit
from units.scoping import ScopedAdmin, ScopedInline, UnitSubtreeFilter, units_for
from units.selectors import roster_counts

LEDGER_ROWS_PER_PAGE = 100
TOOL_LIST_PER_PAGE = 50


class AttachmentInline(ScopedInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "download_link", "size"]
    readonly_fields = ["download_link", "size"]

    @admin.display(description=_("file name"))
    def download_link(self, obj):
        # The site's download: a restricted item's file comes stamped for the staff member too.
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


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
class PublicationAdmin(ReviewAdminMixin, ScopedAdmin):
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
    readonly_fields = ["published_at", "read_rates_link", "ledger_link"]
    date_hierarchy = "issued_on"
    change_list_template = "admin/publications/publication/change_list_tools.html"
    fieldsets = [
        (None, {"fields": ["kind", "title", "topics", "audience", "issuing_unit", "issued_on", "summary", "body"]}),
        (_("Issue number"), {"fields": ["series", "year", "issue_number"]}),
        (_("Print run"), {"fields": ["copies_printed", "ledger_link"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "read_rates_link"]}),
    ]

    def get_queryset(self, request):
        # A subquery, not a join: any other join on this queryset (a filter, a sum over it)
        # would otherwise be repeated once per distribution row.
        distributed = (
            Distribution.objects.filter(publication=OuterRef("pk"))
            .values("publication")
            .annotate(total=Sum("copies"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(distributed=Coalesce(Subquery(distributed, output_field=IntegerField()), 0))
        )

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

    @admin.display(description=_("distribution list"))
    def ledger_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:publications_publication_distributions", args=[obj.pk]),
            _("Copies per receiving unit"),
        )

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        review_check_edit(item=obj, actor=request.user, changed=change and bool(form.changed_data))
        publication_save(publication=obj, actor=request.user)

    def review_save(self, obj, actor):
        return publication_save(publication=obj, actor=actor)

    def get_urls(self):
        return [
            path(
                "<int:pk>/read-rates/",
                self.admin_site.admin_view(self.read_rates_view),
                name="publications_publication_read_rates",
            ),
            path(
                "<int:pk>/distributions/",
                self.admin_site.admin_view(self.distributions_view),
                name="publications_publication_distributions",
            ),
            path(
                "read-rates/",
                self.admin_site.admin_view(self.read_rate_list_view),
                name="publications_publication_read_rate_list",
            ),
            path("totals/", self.admin_site.admin_view(self.totals_view), name="publications_publication_totals"),
            *super().get_urls(),
        ]

    def read_rates_view(self, request, pk):
        """Who on the rosters of the staff member's units has confirmed studying the item: any
        item read_rate_items allows (a city bulletin included), counted over their own cadres."""
        publication = get_object_or_404(read_rate_items(request.user).select_related("issuing_unit"), pk=pk)
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
            "editable": self._opens_in_admin(request, publication),
        }
        return TemplateResponse(request, "admin/publications/publication/read_rates_scoped.html", context)

    def _opens_in_admin(self, request, publication) -> bool:
        """The item's own admin page is within the user's reach (else no link to it is shown)."""
        return self.has_view_or_change_permission(request, publication) and (
            super().get_queryset(request).filter(pk=publication.pk).exists()
        )

    def read_rate_list_view(self, request):
        """The restricted items whose read rates the user may see, with how many of the cadres
        of their units studied each: city bulletins as well as their own."""
        items = (
            read_rate_items(request.user)
            .exclude(audience=Audience.PUBLIC)
            .select_related("issuing_unit")
            .order_by("-published_at", "-pk")
        )
        page = Paginator(items, TOOL_LIST_PER_PAGE).get_page(request.GET.get("page"))
        units = units_for(request.user)
        roster = sum(roster_counts(units).values())
        read = read_rate_overview(publications=[item.pk for item in page], units=units)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Read rates of restricted items"),
            "opts": self.model._meta,
            "page": page,
            "roster": roster,
            "rows": [(item, read.get(item.pk, 0), read.get(item.pk, 0) / roster if roster else 0) for item in page],
        }
        return TemplateResponse(request, "admin/publications/publication/read_rate_list.html", context)

    def distributions_view(self, request, pk):
        """Copies of an item per receiving unit and date, with the print run beside them; unit
        staff see their own items' whole ledger and, of other items, what reached their units."""
        publication = get_object_or_404(ledger_items(request.user).select_related("issuing_unit"), pk=pk)
        rows = list(distribution_ledger(publication=publication, user=request.user))
        distributed = sum(row["copies"] for row in rows)
        if request.GET.get("format") == "xlsx":
            heading = [gettext("receiving unit"), gettext("copies"), gettext("date")]
            sheet = [heading] + [[row["unit__name"], row["copies"], row["date"]] for row in rows]
            sheet.append([gettext("Total"), distributed, ""])
            return workbook_response(f"distributions-{publication.pk}.xlsx", [(gettext("Distribution list"), sheet)])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Distribution list: %(title)s") % {"title": publication.title},
            "opts": self.model._meta,
            "publication": publication,
            "page": Paginator(rows, LEDGER_ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "distributed": distributed,
            "undistributed": max(publication.copies_printed - distributed, 0),
            "whole_ledger": sees_whole_ledger(publication=publication, user=request.user),
            "editable": self._opens_in_admin(request, publication),
        }
        return TemplateResponse(request, "admin/publications/publication/distributions.html", context)

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
            "items": Paginator(
                period_items(start=start, end=end, publications=self.get_queryset(request)), TOOL_LIST_PER_PAGE
            ).get_page(request.GET.get("page")),
        }
        return TemplateResponse(request, "admin/publications/publication/totals_ledger.html", context)


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
    list_filter = [year_filter("read_at"), "publication__kind", UnitSubtreeFilter]
    search_fields = ["publication__title", "user__username", "user__first_name", "unit__name"]
    list_select_related = ["publication", "user", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AttachmentDelivery)
class AttachmentDeliveryAdmin(ScopedAdmin):
    """查找追踪码: who received which watermarked copy, when. The rows are written by the
    download itself and can be neither added, changed nor deleted here; unit staff see the
    deliveries to the people of their units, administrators all."""

    list_display = ["trace_code", "reader_name", "unit", "file_name", "publication_link", "delivered_at"]
    list_filter = [year_filter("delivered_at"), UnitSubtreeFilter]
    search_fields = ["=trace_code", "reader_name", "user__username", "file_name"]
    search_help_text = _("Type the trace code printed on the copy, or a reader's name or a file name.")
    list_select_related = ["unit", "attachment__publication"]
    fields = [
        "trace_code",
        "reader_name",
        "user",
        "unit",
        "file_name",
        "publication_link",
        "delivered_at",
        "client_address",
    ]
    readonly_fields = fields

    @admin.display(description=_("publication"))
    def publication_link(self, obj):
        if obj.attachment is None:
            return "—"
        publication = obj.attachment.publication
        return format_html('<a href="{}">{}</a>', publication.get_absolute_url(), publication.title)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Look up a trace code"), **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        # The foot line of a copy reads "追踪码 K7Q2M9XD": pasted whole, the label is not a term.
        label = gettext("Trace code %(code)s") % {"code": ""}
        return super().get_search_results(request, queryset, search_term.replace(label.strip(), " "))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
