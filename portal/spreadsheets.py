"""Spreadsheets in and out: safe to open in Excel or WPS, and imports that check every row."""

import datetime
import io

import openpyxl
import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe
    (the OWASP advice against CSV/formula injection); numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeXLSX(XLSX):
    """The .xlsx export of every admin list: formula-like cells neutralised."""

    def export_data(self, dataset, **kwargs):
        rows = [[neutralise_formula(cell) for cell in row] for row in dataset]
        safe = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
        return super().export_data(safe, **kwargs)


class SpreadsheetError(Exception):
    """A workbook that cannot be imported; `message` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_rows(workbook_file, *, headings: list[str], limit: int = 20_000) -> list[tuple[int, list]]:
    """(row number, cell values) of every non-empty row below the headings of an .xlsx upload.

    Formulas are read as their text, so that a cell like "=HYPERLINK(...)" is seen and refused by
    the caller instead of being run. Raises SpreadsheetError for anything that is not a workbook
    made from the template."""
    try:
        workbook = openpyxl.load_workbook(workbook_file, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx).")) from error
    rows = []
    for number, row in enumerate(workbook.active.iter_rows(values_only=True), start=1):
        values = list(row)
        if number == 1:
            if [str(value or "").strip() for value in values[: len(headings)]] != headings:
                raise SpreadsheetError(
                    _("The first row must be the headings %(headings)s (download the template).")
                    % {"headings": "、".join(headings)}
                )
            continue
        if any(value not in (None, "") for value in values):
            rows.append((number, (values + [None] * len(headings))[: len(headings)]))
        if len(rows) > limit:
            raise SpreadsheetError(_("A file may hold at most %(limit)d rows.") % {"limit": limit})
    if not rows:
        raise SpreadsheetError(_("The file holds no rows below the headings."))
    return rows


def cell_date(value):
    """A date from a cell: a real date, or text such as 2020-06-01, 2020/6/1 or 2020.6.1."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parts = str(value or "").strip().replace("/", "-").replace(".", "-").split("-")
    try:
        return datetime.date(*(int(part) for part in parts)) if len(parts) == 3 else None
    except ValueError:
        return None


def row_errors_message(errors: list[str]) -> str:
    """One message for a refused import: nothing was imported, then the first bad rows."""
    shown = " ".join(errors[:20])
    if len(errors) > 20:
        shown += " " + _("…and %(count)d more rows.") % {"count": len(errors) - 20}
    return _("Nothing was imported. ") + shown


def workbook_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An .xlsx of `sheets` ([(title, rows)]), text cells neutralised against formulas."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([neutralise_formula(value) for value in row])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(filename: str, sheets: list[tuple[str, list[list]]]) -> HttpResponse:
    """An .xlsx download of `sheets` (see workbook_bytes)."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def roster_rows(memberships) -> list[list]:
    """[unit, name, position] rows of a list of cadres (who has not read, not signed ...)."""
    return [[m.unit.name, m.user.get_full_name() or m.user.username, m.position] for m in memberships]
