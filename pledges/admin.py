from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from core.listfilters import year_filter
from core.spreadsheets import SafeXLSX, roster_rows, workbook_response
from pledges.models import PledgeText, Signature
from pledges.selectors import progress_by_unit, unsigned_cadres
from pledges.services import import_template, pledge_save, signature_import, signature_void
from units.scoping import ScopedAdmin, units_for


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


@admin.register(PledgeText)
class PledgeTextAdmin(ExportMixin, SimpleHistoryAdmin):
    """Texts are city-wide and written by the commission, so this list is not scoped; unit staff
    (view permission only) use it to import paper signatures and follow their units' progress,
    which are scoped."""

    export_formats = [SafeXLSX]
    list_display = ["title", "kind", "audience", "opens_on", "closes_on", "is_published", "signed_total", "tools"]
    list_filter = ["kind", "audience", "is_published"]
    search_fields = ["title"]
    readonly_fields = ["published_at"]
    autocomplete_fields = ["issuing_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signed=Count("signatures", filter=Q(signatures__is_void=False)))

    @admin.display(description=_("signed so far"), ordering="signed")
    def signed_total(self, obj):
        return obj.signed

    @admin.display(description=_("tools"))
    def tools(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:pledges_pledgetext_progress", args=[obj.pk]),
            _("progress"),
            reverse("admin:pledges_pledgetext_import", args=[obj.pk]),
            _("import paper signatures"),
        )

    def save_model(self, request, obj, form, change):
        pledge_save(pledge=obj, actor=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/progress/", self.admin_site.admin_view(self.progress_view), name="pledges_pledgetext_progress"
            ),
            path("<int:pk>/import/", self.admin_site.admin_view(self.import_view), name="pledges_pledgetext_import"),
            path(
                "import-template/", self.admin_site.admin_view(self.template_view), name="pledges_pledgetext_template"
            ),
            *super().get_urls(),
        ]

    def _pledge(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(PledgeText, pk=pk)

    def progress_view(self, request, pk):
        """Signed / roster per unit of the staff member's subtree, and who has not signed."""
        pledge = self._pledge(request, pk)
        units = units_for(request.user)
        rows = progress_by_unit(pledge=pledge, units=units)
        unsigned = unsigned_cadres(pledge=pledge, units=units)
        if request.GET.get("format") == "xlsx":
            return workbook_response(
                f"pledge-progress-{pledge.pk}.xlsx",
                [
                    (
                        "签署进度",
                        [["单位", "名册人数", "已签署"]]
                        + [[row["unit"].name, row["roster"], row["signed"]] for row in rows],
                    ),
                    ("未签署名单", [["单位", "姓名", "职务"], *roster_rows(unsigned)]),
                ],
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "pledge": pledge,
            "title": _("Signing progress: %(title)s") % {"title": pledge.title},
            "rows": rows,
            "unsigned": unsigned[:500],
            "unsigned_count": unsigned.count(),
            "totals": {"roster": sum(row["roster"] for row in rows), "signed": sum(row["signed"] for row in rows)},
        }
        return TemplateResponse(request, "admin/pledges/pledgetext/progress.html", context)

    def import_view(self, request, pk):
        pledge = self._pledge(request, pk)
        if not request.user.has_perm("pledges.add_signature"):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = signature_import(
                    pledge=pledge,
                    workbook_file=form.cleaned_data["file"],
                    units=units_for(request.user),
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                self.message_user(
                    request, _("%(count)d paper signatures imported.") % {"count": result.created}, messages.SUCCESS
                )
                if result.duplicates:
                    self.message_user(
                        request,
                        _("%(count)d rows were already recorded and were skipped: %(names)s")
                        % {"count": len(result.duplicates), "names": "、".join(result.duplicates[:50])},
                        messages.WARNING,
                    )
                if result.signed_online:
                    self.message_user(
                        request,
                        _(
                            "%(count)d rows name cadres who have already signed online and were skipped "
                            "(one signature per person): %(names)s"
                        )
                        % {"count": len(result.signed_online), "names": "、".join(result.signed_online[:50])},
                        messages.WARNING,
                    )
                return redirect("admin:pledges_pledgetext_progress", pk=pledge.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "pledge": pledge,
            "form": form,
            "title": _("Import paper signatures: %(title)s") % {"title": pledge.title},
        }
        return TemplateResponse(request, "admin/pledges/pledgetext/import.html", context)

    def template_view(self, request):
        return workbook_response("paper-signatures-template.xlsx", import_template())


class VoidActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for voiding)"), required=False, max_length=200)


@admin.register(Signature)
class SignatureAdmin(ScopedAdmin):
    report_lookups = ("pledge__title__contains", "signed_at__date__gte", "signed_at__date__lte")
    list_display = ["signer_name", "unit", "position", "pledge", "method", "signed_at", "verification_code", "is_void"]
    list_filter = [year_filter("signed_at"), "pledge", "method", "is_void", "unit__kind"]
    search_fields = ["signer_name", "verification_code", "unit__name"]
    list_select_related = ["pledge", "unit"]
    actions = ["void_signatures"]
    action_form = VoidActionForm
    readonly_fields = [
        "pledge",
        "version",
        "user",
        "signer_name",
        "unit",
        "position",
        "method",
        "signed_at",
        "verification_code",
        "is_void",
        "void_reason",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # online signing and the paper import are the only ways in

    @admin.action(description=_("Void the selected signatures (give a reason)"), permissions=["change"])
    def void_signatures(self, request, queryset):
        reason = request.POST.get("reason", "")
        done = 0
        for signature in queryset:
            try:
                signature_void(signature=signature, reason=reason, actor=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
        self.message_user(request, _("%(count)d signatures voided.") % {"count": done}, messages.SUCCESS)
