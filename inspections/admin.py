from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspection, Occasion, OccasionPeriod
from inspections.selectors import WEEKDAYS, figures_by_occasion, year_calendar, years_with_periods
from inspections.services import inspection_save
from units.scoping import ScopedAdmin, UnitSubtreeFilter

# The multi-year table shows this many years up to the one chosen.
YEARS_SHOWN = 4


class OccasionPeriodInline(admin.TabularInline):
    model = OccasionPeriod
    extra = 1
    fields = ["year", "starts_on", "ends_on"]
    ordering = ["-year"]


@admin.register(Occasion)
class OccasionAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "reminder_days", "period_count"]
    list_editable = ["order"]
    inlines = [OccasionPeriodInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(period_count=Count("periods"))

    @admin.display(description=_("years set"), ordering="period_count")
    def period_count(self, obj):
        return obj.period_count


@admin.register(OccasionPeriod)
class OccasionPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "occasion", "year", "starts_on", "ends_on", "inspections_done"]
    list_filter = ["year", "occasion"]
    list_select_related = ["occasion"]
    ordering = ["-starts_on"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(done=Count("inspections", filter=Q(inspections__done_on__isnull=False)))
        )

    @admin.display(description=_("inspections carried out (all units)"), ordering="done")
    def inspections_done(self, obj):
        return obj.done


class DoneFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "done"

    def lookups(self, request, model_admin):
        return [("yes", _("carried out")), ("no", _("planned, not yet carried out"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.done()
        if self.value() == "no":
            return queryset.filter(done_on__isnull=True)
        return queryset


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    report_lookups = ("done_on__gte", "done_on__lte")
    list_display = [
        "title",
        "unit",
        "period",
        "planned_on",
        "done_on",
        "places_checked",
        "problems_found",
        "cases_handed_over",
        "bulletins_issued",
    ]
    list_filter = ["period__year", "period__occasion", DoneFilter, UnitSubtreeFilter]
    search_fields = ["title", "inspectors", "places", "unit__name"]
    list_select_related = ["unit", "period__occasion"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["period", "unit", "title", "planned_on", "inspectors"]}),
        (
            _("Results (once carried out)"),
            {
                "fields": [
                    "done_on",
                    "places_checked",
                    "places",
                    "problems_found",
                    "cases_handed_over",
                    "bulletins_issued",
                    "summary",
                ]
            },
        ),
    ]
    change_list_template = "admin/inspections/inspection/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = OccasionPeriod.objects.select_related("occasion").order_by("-starts_on")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        period = (
            OccasionPeriod.objects.filter(pk=initial.get("period")).select_related("occasion").first()
            if str(initial.get("period", "")).isdigit()
            else None
        )
        if period is not None:
            initial.setdefault("title", f"{period.occasion.name}期间专项检查")
            initial.setdefault(
                "planned_on",
                max(period.starts_on, timezone.localdate())
                if period.contains(timezone.localdate())
                else period.starts_on,
            )
        return initial

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        inspection_save(inspection=obj, actor=request.user)

    def get_urls(self):
        return [
            path("calendar/", self.admin_site.admin_view(self.calendar_view), name="inspections_calendar"),
            *super().get_urls(),
        ]

    def calendar_view(self, request):
        """The year's occasions with their periods, the inspections in the user's scope, who has
        nothing planned yet, and the figures per occasion and year."""
        today = timezone.localdate()
        value = request.GET.get("year", "")
        year = int(value) if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100 else today.year
        years = [number for number in years_with_periods() if year - YEARS_SHOWN < number <= year] or [year]
        changelist = reverse("admin:inspections_inspection_changelist")
        figures = figures_by_occasion(request.user, years)
        for row in figures:
            for cell in row["years"]:
                if cell["period"]:
                    cell["url"] = f"{changelist}?{urlencode({'period__id__exact': cell['period']})}"
                    cell["done_url"] = f"{changelist}?{urlencode({'period__id__exact': cell['period'], 'done': 'yes'})}"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Holiday inspection calendar"),
            "opts": self.model._meta,
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "today": today,
            "periods": year_calendar(request.user, year, today),
            "weekdays": WEEKDAYS,
            "figures": figures,
            "years": years,
            "may_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/inspections/calendar.html", context)
