import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.jobs import job_create
from core.models import BackgroundJob
from core.storage import private_file_response
from reports.charts import bar_chart
from reports.figures import SECTIONS, Scope
from reports.selectors import activities_per_month, pledge_progress, public_statistics, visitors_per_base
from reports.services import report_build, report_file
from reports.tasks import REPORT_FILE, report_file_job


def _download_query(form, title: str) -> str:
    """The query of the download links: the shown period, unit, title and date of issue."""
    data = form.cleaned_data
    return urlencode(
        {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "unit": data["unit"].pk,
            "title": title,
            "issued_on": data["issued_on"].isoformat(),
        }
    )


@staff_member_required
def report_page(request):
    form, figures, blocks = report_build(request.GET, request.user)
    context = {"form": form, "title": _("Work report")}
    if figures is not None:
        data = form.cleaned_data
        scope = Scope(start=data["start"], end=data["end"], unit=data["unit"])
        pledge_title, progress = pledge_progress(unit=scope.unit)
        context.update(
            {
                "sections": [
                    (number, title, [f for f in figures if f.section == number]) for number, title in SECTIONS.items()
                ],
                "blocks": blocks,
                "query": _download_query(form, blocks[0].text),
                "charts": [
                    (_("Activities recorded per month"), bar_chart(activities_per_month(scope))),
                    (_("Visitors per base"), bar_chart(visitors_per_base(scope))),
                    (
                        _("Signatures per unit: %(title)s") % {"title": pledge_title}
                        if pledge_title
                        else _("Signatures per unit"),
                        bar_chart(progress),
                    ),
                ],
            }
        )
    return render(request, "reports/report.html", context)


def _report_file(request, kind: str):
    """The .docx or the .xlsx of the report shown. With a job queue (REPORT_FILES_IN_BACKGROUND)
    the worker makes it while the requester waits on the job's page; otherwise it is made at once."""
    form, figures, blocks = report_build(request.GET, request.user)
    if figures is None:
        return report_page(request)
    if settings.REPORT_FILES_IN_BACKGROUND:
        job = job_create(kind=REPORT_FILE, actor=request.user, parameters={"query": request.GET.dict(), "kind": kind})
        report_file_job.delay_on_commit(job.pk)
        return redirect("reports:report-job", job.pk)
    content, content_type, filename = report_file(kind, form=form, figures=figures, blocks=blocks)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@staff_member_required
def report_docx(request):
    return _report_file(request, "docx")


@staff_member_required
def report_xlsx(request):
    return _report_file(request, "xlsx")


@staff_member_required
def report_job(request, pk):
    """A report being made in the background, as its requester sees it; nobody else finds it."""
    job = get_object_or_404(BackgroundJob, pk=pk, kind=REPORT_FILE, requested_by=request.user)
    return render(request, "reports/report_job.html", {"job": job, "title": _("Work report")})


@staff_member_required
def report_job_file(request, pk):
    job = get_object_or_404(
        BackgroundJob, pk=pk, kind=REPORT_FILE, requested_by=request.user, status=BackgroundJob.Status.DONE
    )
    response = private_file_response(job.result, as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "private, no-store"
    return response


STATS_COLUMNS = ["year", "bases_opened", "visitors", "activities", "sessions", "pledges_signed"]
STATS_CACHE_SECONDS = 300


def _cached_statistics():
    # Aggregates over every row of several apps: computed at most every five minutes for the public.
    return cache.get_or_set("public-statistics", public_statistics, STATS_CACHE_SECONDS)


def public_stats(request):
    stats = _cached_statistics()
    return render(request, "reports/stats.html", {"stats": stats, "crumbs": [(_("Statistics"), "")]})


def public_stats_json(request):
    return JsonResponse(_cached_statistics(), json_dumps_params={"ensure_ascii": False})


def public_stats_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qingfeng-statistics.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(["年份", "开馆基地", "参观人数", "活动记录", "开展次数", "承诺签署"])
    for row in _cached_statistics()["years"]:
        writer.writerow([row[column] for column in STATS_COLUMNS])
    return response
