from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AdminFileWidget
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.forms import ImportForm
from campaigns.models import (
    ActivityOutput,
    ActivityPhoto,
    ActivityRecord,
    Campaign,
    OpenCall,
    Sector,
    Submission,
)
from campaigns.selectors import activity_totals, output_labels
from campaigns.services import (
    IMPORT_INLINE_ROWS,
    MAX_JOB_ROWS,
    activity_import,
    activity_record_save,
    campaign_save,
    import_summary,
    import_template,
    open_call_save,
    submission_moderate,
)
from campaigns.tasks import ACTIVITY_IMPORT, activity_import_job
from core.documents import attachment_check
from core.errors import DomainError
from core.images import renditions_refresh
from core.jobs import job_create, job_progress
from core.listfilters import year_filter
from core.models import BackgroundJob
from core.spreadsheets import declared_rows, workbook_response
from core.storage import private_file_response
from units.review import ReviewAdminMixin, review_check_edit
from units.scoping import ScopedAdmin, ScopedInline, UnitSubtreeFilter, scope_queryset, units_for


class _LinkedFile:
    """A stored file as the file input shows it: its name, linking to `url`."""

    def __init__(self, file, url):
        self.file, self.url = file, url

    def __str__(self):
        return self.file.name


class PrivateFileInput(AdminFileWidget):
    """The file input for a file in private storage: "currently: …" links to the view that checks
    permissions (`url`), since the storage has no public URL."""

    def __init__(self, *args, url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url

    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))

    def format_value(self, value):
        if self.is_initial(value):
            return _LinkedFile(value, self.url)
        return None


class CampaignForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            url = reverse("campaigns:campaign-document", args=[self.instance.pk])
            self.fields["document"].widget = PrivateFileInput(url=url)

    class Meta:
        model = Campaign
        fields = [
            "title",
            "kind",
            "topics",
            "sectors",
            "organisers",
            "starts_on",
            "ends_on",
            "summary",
            "body",
            "cover",
            "document_title",
            "document",
            "is_published",
        ]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            attachment_check(document)  # a real PDF, DOCX or XLSX, whatever its name says
        return document


@admin.register(Campaign)
class CampaignAdmin(ReviewAdminMixin, ScopedAdmin):
    unit_field = "organisers"
    form = CampaignForm
    list_display = ["title", "kind", "starts_on", "ends_on", "sector_names", "is_published"]
    list_filter = ["kind", "sectors", "is_published", "starts_on"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["organisers"]
    filter_horizontal = ["sectors"]
    readonly_fields = ["published_at"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("sectors"))
    def sector_names(self, obj):
        return "、".join(sector.name for sector in obj.sectors.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sectors")

    def save_model(self, request, obj, form, change):
        review_check_edit(item=obj, actor=request.user, changed=change and bool(form.changed_data))
        campaign_save(campaign=obj, actor=request.user)

    def review_save(self, obj, actor):
        return campaign_save(campaign=obj, actor=actor)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Staff keep a campaign they organise inside their own reach.
        if not form.instance.organisers.exists():
            home = units_for(request.user).first()
            if home is not None:
                form.instance.organisers.add(home)


class OutputInline(ScopedInline):
    model = ActivityOutput
    extra = 2


class PhotoInline(ScopedInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "caption", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return format_html('<img src="{}" class="admin-thumbnail" alt="">', obj.thumbnail.url) if obj.thumbnail else "—"


class SectorFilter(admin.SimpleListFilter):
    title = _("sector")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return [(sector.code, sector.name) for sector in Sector.objects.all()]

    def queryset(self, request, queryset):
        if self.value() in Sector.UNIT_KINDS:
            return queryset.filter(unit__kind__in=Sector.UNIT_KINDS[self.value()])
        return queryset


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ReviewAdminMixin, ScopedAdmin):
    report_lookups = ("campaign__title__contains",)
    inlines = [OutputInline, PhotoInline]
    list_display = ["date", "title", "unit", "kind", "campaign", "sessions", "participants", "output_summary"]
    list_filter = [year_filter("date"), UnitSubtreeFilter, "kind", SectorFilter, "campaign"]
    search_fields = ["title", "description", "unit__name"]
    list_select_related = ["unit", "campaign"]
    autocomplete_fields = ["unit", "campaign"]
    fields = [
        "unit",
        "date",
        "kind",
        "title",
        "campaign",
        "topics",
        "sessions",
        "participants",
        "issues_found",
        "description",
    ]
    change_list_template = "admin/campaigns/activityrecord/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("outputs")

    @admin.display(description=_("outputs"))
    def output_summary(self, obj):
        return "、".join(str(output) for output in obj.outputs.all()) or "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("date", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        review_check_edit(item=obj, actor=request.user, changed=change and bool(form.changed_data))
        activity_record_save(record=obj, actor=request.user)

    def review_save(self, obj, actor):
        return activity_record_save(record=obj, actor=actor)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
            renditions_refresh(instance)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = activity_totals(changelist.queryset)
            response.context_data["totals"] = {**totals, "output_list": output_labels(totals["outputs"])}
        return response

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="campaigns_activityrecord_import"),
            path(
                "import/template/",
                self.admin_site.admin_view(self.template_view),
                name="campaigns_activityrecord_template",
            ),
            path(
                "import/jobs/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="campaigns_activityrecord_import_job",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Up to IMPORT_INLINE_ROWS rows import at once; a larger file (up to MAX_JOB_ROWS) is
        stored and imported by a background job, whose page shows how far it has got."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if declared_rows(upload, limit=MAX_JOB_ROWS) > IMPORT_INLINE_ROWS:
                    job = job_create(kind=ACTIVITY_IMPORT, file=upload, actor=request.user)
                    activity_import_job.delay_on_commit(job.pk)
                    return redirect("admin:campaigns_activityrecord_import_job", job.pk)
                created, skipped = activity_import(
                    workbook_file=upload, units=units_for(request.user), actor=request.user
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                self.message_user(request, import_summary(created, skipped), messages.SUCCESS)
                return redirect("admin:campaigns_activityrecord_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import activity records"),
        }
        return TemplateResponse(request, "admin/campaigns/activityrecord/import.html", context)

    def import_job_view(self, request, job_id):
        """A background import as its requester sees it: queued, running (rows written so far,
        the page reloading itself), done or failed with the reasons. Nobody else's job is found."""
        job = get_object_or_404(BackgroundJob, pk=job_id, kind=ACTIVITY_IMPORT, requested_by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "job": job,
            "progress": job_progress(job),
            "title": _("Import activity records"),
        }
        return TemplateResponse(request, "admin/campaigns/activityrecord/import_job.html", context)

    def template_view(self, request):
        return workbook_response("activity-records-template.xlsx", import_template())


class OpenCallForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories"), choices=OpenCall.Category.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = OpenCall
        fields = [
            "title",
            "campaign",
            "organisers",
            "audience",
            "categories",
            "rules",
            "opens_at",
            "closes_at",
            "max_per_author",
            "is_published",
        ]


@admin.register(OpenCall)
class OpenCallAdmin(ScopedAdmin):
    unit_field = "organisers"
    form = OpenCallForm
    list_display = ["title", "opens_at", "closes_at", "is_published", "submission_count"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    autocomplete_fields = ["organisers", "campaign"]

    @admin.display(description=_("submissions"))
    def submission_count(self, obj):
        return format_html(
            '<a href="{}?call__id__exact={}">{}</a>',
            reverse("admin:campaigns_submission_changelist"),
            obj.pk,
            obj.submissions.count(),
        )

    def save_model(self, request, obj, form, change):
        try:
            open_call_save(call=obj, actor=request.user)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class ModerationForm(ActionForm):
    award_level = forms.CharField(label=_("Award (for awarding)"), required=False, max_length=50)


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    """Organisers of a call moderate its works; staff of a school see their pupils' works."""

    unit_field = ("call__organisers", "school")
    list_display = [
        "thumbnail_preview",
        "title",
        "author_name",
        "age_or_grade",
        "school_label",
        "category",
        "status",
        "award_level",
        "submitted_at",
    ]
    list_display_links = ["thumbnail_preview", "title"]
    list_filter = ["status", "category", "call", "school"]
    search_fields = ["title", "author_name", "school_name", "school__name", "receipt_code"]
    list_select_related = ["school", "call"]
    actions = ["accept", "reject", "award"]
    action_form = ModerationForm
    fields = [
        "call",
        "title",
        "category",
        "author_name",
        "age_or_grade",
        "school",
        "school_name",
        "guardian_name",
        "guardian_phone",
        "statement",
        "large_preview",
        "status",
        "award_level",
        "reviewer_note",
        "receipt_code",
        "submitted_at",
    ]
    readonly_fields = [name for name in fields if name not in {"reviewer_note"}]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("image"))
    def thumbnail_preview(self, obj):
        url = reverse("admin:campaigns_submission_image", args=[obj.pk, "thumbnail"])
        return format_html('<img src="{}" class="admin-thumbnail" alt="{}">', url, obj.title)

    @admin.display(description=_("image"))
    def large_preview(self, obj):
        url = reverse("admin:campaigns_submission_image", args=[obj.pk, "image"])
        return format_html('<a href="{0}"><img src="{0}" alt="{1}" class="admin-large-image"></a>', url, obj.title)

    @admin.display(description=_("school"))
    def school_label(self, obj):
        return obj.school_label

    def _moderate(self, request, queryset, status):
        # Schools see their pupils' works; only the call's organisers decide on them.
        organised = scope_queryset(queryset, request.user, "call__organisers")
        if organised.count() < queryset.count():
            self.message_user(request, _("Only the organisers of a call can decide on its works."), messages.WARNING)
        queryset = organised
        award = request.POST.get("award_level", "")
        try:
            for submission in queryset:
                submission_moderate(submission=submission, status=status, award_level=award, actor=request.user)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, _("%(count)d works updated.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Select for the gallery"), permissions=["change"])
    def accept(self, request, queryset):
        self._moderate(request, queryset, Submission.Status.ACCEPTED)

    @admin.action(description=_("Do not select"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, Submission.Status.REJECTED)

    @admin.action(description=_("Award (give the award level)"), permissions=["change"])
    def award(self, request, queryset):
        self._moderate(request, queryset, Submission.Status.AWARDED)

    def get_urls(self):
        return [
            # Under "file/": "<pk>/<variant>/" would shadow the change, delete and history pages.
            path(
                "<int:pk>/file/<str:variant>/",
                self.admin_site.admin_view(self.image_view),
                name="campaigns_submission_image",
            ),
            *super().get_urls(),
        ]

    def image_view(self, request, pk, variant):
        """Staff see every work of their scope, pending ones too, through this view only."""
        submission = self.get_queryset(request).filter(pk=pk).first()
        if submission is None or variant not in {"image", "thumbnail"}:
            raise Http404
        response = private_file_response(getattr(submission, variant) or submission.image)
        response["Cache-Control"] = "private, no-store"
        return response
