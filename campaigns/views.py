import posixpath
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.forms import StatusForm, SubmissionForm
from campaigns.models import ActivityKind, ActivityPhoto, ActivityRecord, Campaign, OpenCall, Sector, Submission
from campaigns.selectors import activity_records, activity_totals, output_labels
from campaigns.services import submission_create
from core.documents import ALLOWED
from core.errors import DomainError
from core.network import client_ip
from core.ratelimit import hit, limited
from core.storage import private_file_response
from units.scoping import scope_queryset

SUBMISSIONS_PER_IP_PER_HOUR = 10
STATUS_CHECKS_PER_HOUR = 60


def campaign_list(request):
    campaigns = Campaign.objects.published().prefetch_related("sectors")
    sector = request.GET.get("sector", "")
    kind = request.GET.get("kind", "")
    if sector:
        campaigns = campaigns.filter(sectors__code=sector)
    if kind in ActivityKind.values:
        campaigns = campaigns.filter(kind=kind)
    page = Paginator(campaigns.distinct(), 12).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "page": page,
            "sectors": Sector.objects.all(),
            "kinds": ActivityKind.choices,
            "selected": {"sector": sector, "kind": kind},
            "open_calls": OpenCall.objects.published()[:5],
            "crumbs": [(_("Activities"), "")],
        },
    )


def _timeline(records):
    return (
        records.select_related("unit")
        .prefetch_related("outputs", Prefetch("photos", queryset=ActivityPhoto.objects.order_by("pk")))
        .order_by("-date", "-pk")
    )


def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.published().prefetch_related("sectors", "organisers"), pk=pk)
    records = activity_records(campaign=campaign, records=ActivityRecord.objects.filter(is_published=True))
    totals = activity_totals(records)
    paginator = Paginator(_timeline(records), 20)
    paginator.count = totals["records"]  # counted with the totals: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "totals": totals,
            "outputs": output_labels(totals["outputs"]),
            "crumbs": [(_("Activities"), reverse("campaigns:campaign-list")), (campaign.title, "")],
        },
    )


def record_detail(request, pk):
    """One activity of a published campaign (what the site search links to)."""
    published = ActivityRecord.objects.filter(is_published=True, campaign__is_published=True).select_related("campaign")
    record = get_object_or_404(published, pk=pk)
    campaign = record.campaign
    return render(
        request,
        "campaigns/record_detail.html",
        {
            "record": record,
            "campaign": campaign,
            "records": _timeline(ActivityRecord.objects.filter(pk=record.pk)),
            "crumbs": [
                (_("Activities"), reverse("campaigns:campaign-list")),
                (campaign.title, campaign.get_absolute_url()),
                (record.title, ""),
            ],
        },
    )


def campaign_document(request, pk):
    """A campaign's governing document, from private storage: anyone's once the campaign is
    published, before that only its organisers' (staff whose scope holds an organising unit).
    Anything else is 404, as if the campaign did not exist."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.is_published:
        organised = scope_queryset(Campaign.objects.filter(pk=pk), request.user, "organisers")
        if not organised.exists():
            raise Http404
    extension = posixpath.splitext(campaign.document.name)[1].lower().lstrip(".")
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "", campaign.document_title or campaign.title).strip()
    response = private_file_response(
        campaign.document,
        as_attachment=True,
        filename=f"{title or _('Governing document')}.{extension}",
        content_type=ALLOWED.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private" if campaign.is_published else "private, no-store"
    return response


def sector_detail(request, code):
    sector = get_object_or_404(Sector, code=code)
    records = activity_records(sector=sector, records=ActivityRecord.objects.filter(is_published=True))
    totals = activity_totals(records)
    return render(
        request,
        "campaigns/sector_detail.html",
        {
            "sector": sector,
            "campaigns": Campaign.objects.published().filter(sectors=sector)[:20],
            "recent": _timeline(records)[:15],
            "totals": totals,
            "outputs": output_labels(totals["outputs"]),
            "sectors": Sector.objects.all(),
            "crumbs": [(_("Activities"), reverse("campaigns:campaign-list")), (sector.title, "")],
        },
    )


def call_detail(request, pk):
    call = get_object_or_404(OpenCall.objects.published(), pk=pk)
    form = SubmissionForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST":
        if not call.is_open:
            form.add_error(None, _("This call is closed and takes no more works."))
        elif form.is_spam:
            return redirect("campaigns:call-detail", pk=call.pk)
        elif not _within_rate(request):
            form.add_error(None, _("Too many submissions from your network; please try again in an hour."))
        elif form.is_valid():
            try:
                submission = submission_create(
                    call=call, submission=form.save(commit=False), image=form.cleaned_data["image"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your work was received."))
                return redirect("campaigns:submission-receipt", code=submission.receipt_code)
    return render(
        request,
        "campaigns/opencall_detail.html",
        {
            "call": call,
            "form": form,
            "gallery_count": call.submissions.in_gallery().count(),
            "crumbs": [(_("Activities"), reverse("campaigns:campaign-list")), (call.title, "")],
        },
    )


def _within_rate(request) -> bool:
    return hit("submission", client_ip(request) or "", limit=SUBMISSIONS_PER_IP_PER_HOUR, seconds=3600)


def submission_receipt(request, code):
    submission = get_object_or_404(Submission.objects.select_related("call"), receipt_code=code)
    return render(request, "campaigns/submission_receipt.html", {"submission": submission})


@limited("submission-status", limit=STATUS_CHECKS_PER_HOUR, seconds=3600, methods=("GET",))
def submission_status(request):
    form = StatusForm(request.GET or None)
    submission = None
    if form.is_valid():
        submission = (
            Submission.objects.select_related("call")
            .filter(receipt_code=form.cleaned_data["code"].strip().upper())
            .first()
        )
        if submission is None:
            form.add_error("code", _("No work has this receipt code."))
    return render(
        request,
        "campaigns/submission_status.html",
        {
            "form": form,
            "submission": submission,
            "crumbs": [(_("Check a submission"), "")],
        },
    )


def gallery(request, pk):
    call = get_object_or_404(OpenCall.objects.published(), pk=pk)
    works = call.submissions.in_gallery().select_related("school").order_by("-status", "-submitted_at")
    category = request.GET.get("category", "")
    if category in OpenCall.Category.values:
        works = works.filter(category=category)
    page = Paginator(works, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/gallery.html",
        {
            "call": call,
            "page": page,
            "categories": call.category_choices(),
            "selected_category": category,
            "crumbs": [
                (_("Activities"), reverse("campaigns:campaign-list")),
                (call.title, call.get_absolute_url()),
                (_("Gallery"), ""),
            ],
        },
    )


def gallery_image(request, pk, variant):
    """Images of selected and awarded works only; pending and rejected ones are never served."""
    submission = Submission.objects.in_gallery().filter(pk=pk, call__is_published=True).first()
    if submission is None or variant not in {"image", "thumbnail"}:
        raise Http404
    return private_file_response(getattr(submission, variant) or submission.image)
