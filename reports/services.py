"""The work report built from the recorded rows: its figures and outline for a period and a unit
within the requester's scope, and its two files. The report page, the downloads and the
background job (reports/tasks.py) all go through here."""

from django.utils.translation import gettext as _

from core.db import read_only_transaction
from core.models import SiteSettings
from reports.document import default_title, docx_bytes, outline, xlsx_bytes
from reports.figures import FigureSet
from reports.forms import ReportForm
from units.scoping import units_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_build(query, user):
    """The form over `query` (the page's GET values), and when it is valid the figures and the
    outline, for `user`'s scope: the figures are computed once here, and the page, the .docx and
    the .xlsx all write from them. (form, None, None) when the form is not valid."""
    form = ReportForm(query, units=units_for(user))
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


def report_file(kind: str, *, form, figures, blocks) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report as a Word document ("docx") or of its
    figures as a workbook ("xlsx"), named after the period."""
    data = form.cleaned_data
    author = SiteSettings.load().organiser
    if kind == "docx":
        content, content_type, name = docx_bytes(blocks, author=author), DOCX, _("Work report")
    else:
        content = xlsx_bytes(figures, title=blocks[0].text, issued_on=data["issued_on"], author=author)
        content_type, name = XLSX, _("Work report figures")
    return content, content_type, f"{name}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.{kind}"
