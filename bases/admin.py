from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from bases.forms import BaseAdminForm, RepeatingSlotsForm, VisitBookingAdminForm, VisitSlotAdminForm
from bases.models import BasePhoto, CultureAsset, EducationBase, ExhibitionSection, VisitBooking, VisitSlot, Volunteer
from bases.selectors import visit_statistics
from bases.services import (
    base_save,
    booking_cancel,
    booking_confirm,
    booking_decline,
    booking_record_attendance,
    slot_close,
    slot_save,
    slots_create_repeating,
)
from core.errors import DomainError
from core.images import RenditionsAdminMixin
from core.listfilters import year_filter
from core.periods import period_from_request
from units.review import ReviewAdminMixin, review_check_edit
from units.scoping import ScopedAdmin, ScopedInline


class DomainErrorsAsMessages:
    """A rule the form could not check in advance (the row changed between the form's check and
    the save, under the service's lock) is shown as a message on the same page, not as a 500;
    the transaction of the save is rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return redirect(request.get_full_path())


def thumbnail_html(file, alt=""):
    if not file:
        return "—"
    return format_html('<img src="{}" alt="{}" class="admin-thumbnail">', file.url, alt)


class ExhibitionSectionInline(ScopedInline):
    model = ExhibitionSection
    extra = 0
    fields = ["order", "title", "text", "image", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_html(obj.image, obj.title)


class BasePhotoInline(ScopedInline):
    model = BasePhoto
    extra = 0
    fields = ["order", "image", "caption", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_html(obj.thumbnail, obj.caption)


@admin.register(EducationBase)
class EducationBaseAdmin(ReviewAdminMixin, RenditionsAdminMixin, ScopedAdmin):
    form = BaseAdminForm
    inlines = [ExhibitionSectionInline, BasePhotoInline]
    list_display = [
        "name",
        "category",
        "township",
        "unit",
        "is_free",
        "is_published",
        "published_at",
        "order",
        "cover_preview",
    ]
    list_filter = ["category", "township", "is_published", "theme_red", "theme_warning", "theme_family"]
    search_fields = ["name", "address", "summary"]
    list_select_related = ["township", "unit"]
    autocomplete_fields = ["unit", "township", "co_builders"]
    readonly_fields = ["published_at", "cover_preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "unit", "township", "co_builders", "summary", "body"]}),
        (_("Cover"), {"fields": ["cover", "cover_preview"]}),
        (
            _("Facts"),
            {
                "fields": [
                    "construction_started",
                    "opened_on",
                    "floor_area",
                    "floors",
                    "is_free",
                    "opening_hours",
                    "contact_phone",
                    "features",
                ]
            },
        ),
        (_("Location"), {"fields": ["address", "latitude", "longitude"]}),
        (_("Themes"), {"fields": ["theme_red", "theme_warning", "theme_family"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "order"]}),
    ]

    @admin.display(description=_("cover image"))
    def cover_preview(self, obj):
        return thumbnail_html(obj.cover_thumbnail, obj.name)

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        review_check_edit(item=obj, actor=request.user, changed=change and bool(form.changed_data))
        base_save(base=obj, actor=request.user)

    def review_save(self, obj, actor):
        return base_save(base=obj, actor=actor)


@admin.register(CultureAsset)
class CultureAssetAdmin(RenditionsAdminMixin, ScopedAdmin):
    list_display = ["kind", "unit", "location", "quantity", "installed_on", "photo_preview"]
    list_filter = ["kind", "unit__kind", "installed_on"]
    search_fields = ["location", "note", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "installed_on"

    @admin.display(description=_("photo"))
    def photo_preview(self, obj):
        return thumbnail_html(obj.thumbnail, str(obj))


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdmin):
    list_display = ["name", "unit", "phone", "recruited_on", "is_active"]
    list_filter = ["is_active", "unit__parent"]
    search_fields = ["name", "unit__name", "phone"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


class SlotActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for cancelling bookings)"), required=False, max_length=200)


@admin.register(VisitSlot)
class VisitSlotAdmin(DomainErrorsAsMessages, ScopedAdmin):
    unit_field = "base__unit"
    form = VisitSlotAdminForm
    actions = ["close_and_cancel"]
    action_form = SlotActionForm
    list_display = [
        "base",
        "date",
        "start_time",
        "end_time",
        "capacity",
        "booked_display",
        "seats_left_display",
        "is_closed",
    ]
    list_filter = [year_filter("date"), "base", "is_closed", "date"]
    search_fields = ["base__name", "note"]
    list_select_related = ["base"]
    autocomplete_fields = ["base"]
    change_list_template = "admin/bases/visitslot/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_booked()

    @admin.display(description=_("booked (people)"), ordering="booked")
    def booked_display(self, obj):
        return obj.booked

    @admin.display(description=_("places left"))
    def seats_left_display(self, obj):
        return obj.seats_left

    def save_model(self, request, obj, form, change):
        slot_save(slot=obj, actor=request.user)

    @admin.action(description=_("Close the selected slots and cancel their bookings"), permissions=["change"])
    def close_and_cancel(self, request, queryset):
        reason = request.POST.get("reason", "")
        closed = cancelled = 0
        for slot in queryset.order_by("pk"):
            try:
                cancelled += slot_close(slot=slot, actor=request.user, reason=reason)
                closed += 1
            except DomainError as error:
                self.message_user(request, f"{slot}：{error.message}", messages.ERROR)
        if closed:
            self.message_user(
                request,
                _("%(slots)d visit slots closed; %(bookings)d bookings cancelled.")
                % {"slots": closed, "bookings": cancelled},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path("repeat/", self.admin_site.admin_view(self.repeat_view), name="bases_visitslot_repeat"),
            *super().get_urls(),
        ]

    def repeat_view(self, request):
        """Create a repeating schedule in one go (e.g. Tue and Thu 09:00–11:00, 60 people, 8 weeks)."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        bases = self.admin_site._registry[EducationBase].get_queryset(request)
        form = RepeatingSlotsForm(request.POST or None, bases=bases)
        if request.method == "POST" and form.is_valid():
            created = slots_create_repeating(**form.cleaned_data, actor=request.user)
            self.message_user(request, _("%(count)d visit slots created.") % {"count": len(created)}, messages.SUCCESS)
            return redirect("admin:bases_visitslot_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Create a repeating schedule"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/bases/visitslot/repeat.html", context)


class BookingResource(resources.ModelResource):
    base = fields.Field(attribute="slot__base__name", column_name=_("education base"))
    date = fields.Field(attribute="slot__date", column_name=_("date"))
    start_time = fields.Field(attribute="slot__start_time", column_name=_("start time"))
    visitors = fields.Field(attribute="visitor_name", column_name=_("visitors"))
    visitor_label = fields.Field(attribute="get_visitor_display", column_name=_("visitor"))
    status_label = fields.Field(attribute="get_status_display", column_name=_("status"))

    class Meta:
        model = VisitBooking
        fields = [
            "reference",
            "base",
            "date",
            "start_time",
            "visitors",
            "visitor_label",
            "purpose",
            "group_size",
            "actual_visitors",
            "status_label",
            "contact_name",
            "contact_phone",
            "note",
            "created_at",
        ]
        export_order = fields


class BookingActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for declining or cancelling)"), required=False, max_length=200)


@admin.register(VisitBooking)
class VisitBookingAdmin(DomainErrorsAsMessages, ScopedAdmin):
    unit_field = "slot__base__unit"
    form = VisitBookingAdminForm
    report_lookups = ("slot__date__gte", "slot__date__lte", "slot__base__category__in")
    resource_classes = [BookingResource]
    list_display = [
        "reference",
        "base_name",
        "visit_date",
        "visitors",
        "group_size",
        "status",
        "actual_visitors",
        "created_at",
    ]
    list_filter = [
        year_filter("slot__date"),
        "status",
        ("visit_confirmed_at", admin.EmptyFieldListFilter),
        "visitor",
        "slot__base",
        "slot__date",
    ]
    search_fields = ["reference", "unit__name", "organisation", "contact_name", "contact_phone", "slot__base__name"]
    list_select_related = ["slot__base", "unit"]
    actions = ["confirm_bookings", "decline_bookings", "cancel_bookings"]
    action_form = BookingActionForm
    fields = [
        "reference",
        "slot",
        "visitor",
        "unit",
        "organisation",
        "purpose",
        "booked_by",
        "group_size",
        "contact_name",
        "contact_phone",
        "note",
        "status",
        "cancel_reason",
        "actual_visitors",
        "created_at",
        "confirmed_at",
        "visit_confirmed_at",
        "cancelled_at",
    ]
    readonly_fields = [name for name in fields if name != "actual_visitors"]
    change_form_template = "admin/bases/visitbooking/change_form.html"
    change_list_template = "admin/bases/visitbooking/change_list.html"

    @admin.display(description=_("education base"), ordering="slot__base__name")
    def base_name(self, obj):
        return obj.slot.base.name

    @admin.display(description=_("visitors"))
    def visitors(self, obj):
        return obj.visitor_name

    @admin.display(description=_("visit date"), ordering="slot__date")
    def visit_date(self, obj):
        return f"{obj.slot.date:%Y-%m-%d} {obj.slot.start_time:%H:%M}"

    def has_add_permission(self, request):
        return False  # bookings are made on the public site, by cadres and by anyone else

    def _apply(self, request, queryset, operation, done_message):
        bookings = queryset.select_related("slot")
        self.apply_each(request, bookings, operation, done_message, name=lambda booking: booking.reference)

    @admin.action(description=_("Confirm the selected bookings"), permissions=["change"])
    def confirm_bookings(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda booking: booking_confirm(booking=booking, actor=request.user),
            _("%(count)d bookings confirmed."),
        )

    @admin.action(description=_("Decline the selected bookings (give a reason)"), permissions=["change"])
    def decline_bookings(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._apply(
            request,
            queryset,
            lambda booking: booking_decline(booking=booking, actor=request.user, reason=reason),
            _("%(count)d bookings declined."),
        )

    @admin.action(description=_("Cancel the selected bookings (give a reason)"), permissions=["change"])
    def cancel_bookings(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._apply(
            request,
            queryset,
            lambda booking: booking_cancel(booking=booking, actor=request.user, reason=reason),
            _("%(count)d bookings cancelled."),
        )

    def save_model(self, request, obj, form, change):
        if "actual_visitors" in form.changed_data and obj.actual_visitors is not None:
            booking_record_attendance(booking=obj, actor=request.user, actual_visitors=obj.actual_visitors)

    def response_change(self, request, obj):
        operation = None
        if "_confirm" in request.POST:
            operation = lambda: booking_confirm(booking=obj, actor=request.user)  # noqa: E731
        elif "_decline" in request.POST:
            operation = lambda: booking_decline(  # noqa: E731
                booking=obj, actor=request.user, reason=request.POST.get("cancel_reason_input", "")
            )
        elif "_cancel" in request.POST:
            operation = lambda: booking_cancel(  # noqa: E731
                booking=obj, actor=request.user, reason=request.POST.get("cancel_reason_input", "")
            )
        if operation is None:
            return super().response_change(request, obj)
        try:
            operation()
            self.message_user(
                request, _("Booking %(reference)s updated.") % {"reference": obj.reference}, messages.SUCCESS
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        return redirect(reverse("admin:bases_visitbooking_change", args=[obj.pk]))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.status != VisitBooking.Status.CONFIRMED:
            form.base_fields.pop("actual_visitors", None)
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != VisitBooking.Status.CONFIRMED:
            return [*self.readonly_fields, "actual_visitors"]
        return self.readonly_fields

    def get_urls(self):
        return [
            path("statistics/", self.admin_site.admin_view(self.statistics_view), name="bases_visitbooking_statistics"),
            *super().get_urls(),
        ]

    def statistics_view(self, request):
        """Visitors per base per month, for the staff member's scope and a chosen period."""
        start, end = period_from_request(request)
        bookings = self.get_queryset(request).filter(slot__date__range=(start, end))
        rows = list(visit_statistics(bookings))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Visitor statistics"),
            "opts": self.model._meta,
            "rows": rows,
            "start": start,
            "end": end,
            "totals": {
                key: sum(row[key] or 0 for row in rows) for key in ["bookings", "booked_people", "actual_visitors"]
            },
        }
        return TemplateResponse(request, "admin/bases/visitbooking/statistics.html", context)
