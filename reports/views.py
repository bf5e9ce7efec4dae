import csv
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.db import read_only_transaction
from core.models import SiteSettings
from reports.charts import bar_chart
from reports.document import default_title, docx_bytes, outline, xlsx_bytes
from reports.figures import SECTIONS, FigureSet, Scope
from reports.forms import ReportForm
from reports.selectors import activities_per_month, pledge_progress, public_statistics, visitors_per_base
from units.scoping import units_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request):
    """The form, and when it is valid the figures and the outline, for the user's scope: the
    figures are computed once here, and the page, the .docx and the .xlsx all write from them."""
    form = ReportForm(request.GET, units=units_for(request.user))
    site = SiteSettings.load()
    if form.is_valid():
        unit_name = form.cleaned_data["unit"].name
    else:
        unit = form.cleaned_data.get("unit") or form.fields["unit"].queryset.first()
        unit_name = unit.name if unit else site.city_name
    generated = default_title(commission=site.commission_name, city=site.city_name, unit_name=unit_name)
    form.fields["title"].widget.attrs["placeholder"] = generated
    if not form.is_valid():
        return form, None, None
    data = form.cleaned_data
    with read_only_transaction():
        by_id = FigureSet(start=data["start"], end=data["end"], unit=data["unit"]).by_id()
    figures = list(by_id.values())
    blocks = outline(
        figures=by_id,
        city=site.city_name,
        commission=site.commission_name,
        department=site.organiser,
        unit_name=data["unit"].name,
        start=data["start"],
        end=data["end"],
        issued_on=data["issued_on"],
        title=data["title"] or generated,
    )
    return form, figures, blocks


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


def _attachment(content: bytes, content_type: str, form, name: str, extension: str) -> HttpResponse:
    data = form.cleaned_data
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.{extension}"
    )
    return response


@staff_member_required
def report_page(request):
    form, figures, blocks = _report(request)
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


@staff_member_required
def report_docx(request):
    form, figures, blocks = _report(request)
    if figures is None:
        return report_page(request)
    author = SiteSettings.load().organiser
    return _attachment(docx_bytes(blocks, author=author), DOCX, form, _("Work report"), "docx")


@staff_member_required
def report_xlsx(request):
    form, figures, blocks = _report(request)
    if figures is None:
        return report_page(request)
    content = xlsx_bytes(
        figures, title=blocks[0].text, issued_on=form.cleaned_data["issued_on"], author=SiteSettings.load().organiser
    )
    return _attachment(content, XLSX, form, _("Work report figures"), "xlsx")


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
