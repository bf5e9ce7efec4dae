"""The rows behind a figure: exactly what the figure counts, listed, totalled and exportable."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from core.spreadsheets import workbook_response
from reports.figures import REGISTRY, Scope
from reports.figures.rows import admin_change
from reports.forms import ReportForm
from units.scoping import units_for

ROWS_PER_PAGE = 100


def _declared_and_scope(request, figure_id):
    declared = REGISTRY.get(figure_id)
    if declared is None:
        raise Http404
    form = ReportForm(request.GET, units=units_for(request.user))
    if not form.is_valid():
        return declared, form, None
    data = form.cleaned_data
    return declared, form, Scope(start=data["start"], end=data["end"], unit=data["unit"])


def _link(row) -> str:
    try:
        return admin_change(row)
    except NoReverseMatch:
        return ""


@staff_member_required
def figure_rows(request, figure_id):
    declared, form, scope = _declared_and_scope(request, figure_id)
    context = {"title": f"{declared.id} {declared.label}", "declared": declared, "form": form}
    if scope is not None:
        rows = declared.rows(scope)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {
                "scope": scope,
                "total": declared.value_of(rows),
                "page": page,
                "headings": [column.heading for column in declared.columns],
                "lines": [
                    ([column.read(row) for column in declared.columns], declared.amount_of(row), _link(row))
                    for row in page
                ],
                "query": request.GET.urlencode(),
                "counts_rows": declared.total is None,
            }
        )
    return render(request, "reports/figure_rows.html", context)


@staff_member_required
def figure_rows_xlsx(request, figure_id):
    declared, _form, scope = _declared_and_scope(request, figure_id)
    if scope is None:
        return figure_rows(request, figure_id)
    rows = declared.rows(scope)
    sheet = [[*(column.heading for column in declared.columns), _("Counted")]]
    sheet += [[*(column.read(row) for column in declared.columns), declared.amount_of(row)] for row in rows]
    sheet.append([_("Total"), *[""] * (len(declared.columns) - 1), declared.value_of(rows)])
    filename = f"figure-{declared.id}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"
    return workbook_response(filename, [(declared.id, sheet)])
