"""Spreadsheets in and out: safe to open in Excel or WPS, and imports that check every row."""

import datetime
import io
import re
import zipfile
import zlib

import openpyxl
import tablib
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.formats.base_formats import XLSX

from core.errors import DomainError
from core.text import has_control_characters, xml_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A cell value safe to write: text that a spreadsheet would run as a formula (leading spaces
    do not stop it) is prefixed with an apostrophe (the OWASP advice against CSV/formula
    injection), and characters XML cannot hold are dropped; numbers and dates pass unchanged."""
    value = xml_safe(value)
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeXLSX(XLSX):
    """The .xlsx export of every admin list: formula-like cells neutralised."""

    def export_data(self, dataset, **kwargs):
        rows = [[neutralise_formula(cell) for cell in row] for row in dataset]
        safe = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
        return super().export_data(safe, **kwargs)


class ReadableModelResource(resources.ModelResource):
    """The export of an admin list as a person reads it: the columns headed by the fields'
    Chinese names, related rows by their names (not database ids), choices by their labels,
    yes/no for flags, several related rows joined with 、."""

    def get_export_headers(self, selected_fields=None):
        headers = []
        for field in self.get_export_fields(selected_fields):
            model_field = self._model_field(field)
            headers.append(str(model_field.verbose_name if model_field is not None else field.column_name))
        return headers

    def _model_field(self, field):
        try:
            return self._meta.model._meta.get_field(field.attribute)
        except (FieldDoesNotExist, TypeError):
            return None

    def export_field(self, field, instance, **kwargs):
        name = self.get_field_name(field)
        if hasattr(self, field.get_dehydrate_method(name)):
            return super().export_field(field, instance, **kwargs)
        model_field = self._model_field(field)
        if model_field is not None and (model_field.many_to_one or model_field.one_to_one):
            related = getattr(instance, model_field.name)
            return neutralise_formula(str(related)) if related is not None else ""
        if model_field is not None and model_field.many_to_many:
            return neutralise_formula("、".join(str(related) for related in getattr(instance, model_field.name).all()))
        value = field.get_value(instance)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value or ""))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return super().export_field(field, instance, **kwargs)


class SpreadsheetError(DomainError):
    """A workbook that cannot be imported. For refused rows, `row_codes` maps each bad row's
    number to its problems as "heading:code" (tests read these; users read `message`)."""

    error_messages = {
        "not_a_workbook": _("The file is not an Excel workbook (.xlsx)."),
        "damaged": _("The workbook is damaged and cannot be read; save it again in Excel or WPS and retry."),
        "too_large": _(
            "The workbook is too large: at most %(megabytes)d MB unpacked. Import the rows in several files."
        ),
        "too_many_columns": _("The sheet has more than %(limit)d columns; use the template."),
        "wrong_headings": _("The first row must be the headings %(headings)s (download the template)."),
        "too_many_rows": _("A file may hold at most %(limit)d rows."),
        "no_rows": _("The file holds no rows below the headings."),
        "control_characters": _(
            "Rows %(rows)s hold invisible control characters (copied from another program); "
            "delete them and import again."
        ),
        "rows_refused": _("Nothing was imported. %(details)s"),
    }

    def __init__(self, message, *, code: str, row_codes: dict[int, list[str]] | None = None):
        super().__init__(message, code=code)
        self.row_codes = row_codes or {}


# What an upload may hold before anything parses it. An .xlsx is a zip of XML parts: a few MB on
# disk can unpack to gigabytes, and a sheet can declare a million rows or 16,384 columns that the
# reader would fill in one by one. These bounds are far above the template's needs.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # all its parts unpacked, declared and as actually read
MAX_PARTS = 200  # Excel and WPS write about a dozen
MAX_COLUMNS = 40  # the widest template has 13
BLANK_ROWS_ALLOWED = 1_000  # empty or formatted rows a sheet may carry beyond its data rows
_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref=[\"']([A-Za-z]*)(\d*)(?::([A-Za-z]+)(\d+))?[\"']")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def workbook_check(workbook_file, *, max_rows: int) -> int:
    """Refuse an upload that is not a sound .xlsx of reasonable size, before a parser sees it.

    Checks, in order of cost: the file's size; that it is a zip holding the workbook parts; the
    number of parts and their declared unpacked size; then it unpacks every part, counting the
    bytes actually produced (a part may lie about its size) and stopping as soon as the total
    passes MAX_UNPACKED_BYTES, refusing XML that declares a DTD (entity expansion), and reading
    each sheet's declared dimension (at most `max_rows` rows and MAX_COLUMNS columns).
    Returns the most rows a sheet declares (0 when none declares its extent)."""
    workbook_file.seek(0, io.SEEK_END)
    size = workbook_file.tell()
    workbook_file.seek(0)
    too_large = SpreadsheetError.for_code("too_large", megabytes=MAX_UNPACKED_BYTES // 1024 // 1024)
    if size > MAX_WORKBOOK_BYTES:
        raise too_large
    try:
        with zipfile.ZipFile(workbook_file) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise SpreadsheetError.for_code("not_a_workbook")
            if len(members) > MAX_PARTS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise too_large
            unpacked, declared = 0, 0
            for member in members:
                is_sheet = _SHEET_PART.match(member.filename) is not None
                head, tail = b"", b""
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise too_large
                        window = tail + chunk
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            raise SpreadsheetError.for_code("damaged")
                        tail = chunk[-16:]
                        if is_sheet and len(head) < 65_536:
                            head += chunk[: 65_536 - len(head)]
                if is_sheet:
                    declared = max(declared, _dimension_check(head, max_rows=max_rows))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError) as error:
        # Not a zip at all, or a zip whose parts fail their checksums or cannot be unpacked.
        raise SpreadsheetError.for_code("damaged" if zipfile.is_zipfile(workbook_file) else "not_a_workbook") from error
    except (NotImplementedError, RuntimeError) as error:  # unknown compression, encrypted parts
        raise SpreadsheetError.for_code("not_a_workbook") from error
    finally:
        workbook_file.seek(0)
    return declared


def _dimension_check(head: bytes, *, max_rows: int) -> int:
    """The sheet's declared extent (<dimension ref="A1:M201"/>), when it gives one: its rows."""
    match = _DIMENSION.search(head)
    if match is None:
        return 0
    first_letters, first_row, last_letters, last_row = match.groups()
    letters = last_letters or first_letters
    rows = last_row or first_row
    if letters and _column_number(letters.decode()) > MAX_COLUMNS:
        raise SpreadsheetError.for_code("too_many_columns", limit=MAX_COLUMNS)
    if rows and int(rows) > max_rows:
        raise SpreadsheetError.for_code("too_many_rows", limit=max_rows)
    return int(rows) if rows else 0


def declared_rows(workbook_file, *, limit: int) -> int:
    """How many rows below the headings the upload's sheet says it has (0 when it does not say),
    after the checks of workbook_check; refuses a file declaring more than `limit`. Cheap: no
    cell is parsed. Used to choose between importing now and as a background job."""
    return max(workbook_check(workbook_file, max_rows=limit + 1 + BLANK_ROWS_ALLOWED) - 1, 0)


def _has_control_characters(value) -> bool:
    return isinstance(value, str) and has_control_characters(value, allow_whitespace=True)


def read_rows(workbook_file, *, headings: list[str], limit: int = 20_000) -> list[tuple[int, list]]:
    """(row number, cell values) of every non-empty row below the headings of an .xlsx upload.

    The upload passes workbook_check before openpyxl opens it, and openpyxl reads it in
    read-only mode within the checked extent. Formulas are read as their text, so that a cell
    like "=HYPERLINK(...)" is seen and refused by the caller instead of being run. Text holding
    control characters refuses the file (naming the rows). Raises SpreadsheetError for anything
    that is not a workbook made from the template."""
    sheet_rows = limit + 1 + BLANK_ROWS_ALLOWED
    workbook_check(workbook_file, max_rows=sheet_rows)
    try:
        workbook = openpyxl.load_workbook(workbook_file, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetError.for_code("not_a_workbook") from error
    rows, controlled = [], []
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):  # a chart sheet, or no sheet at all
            raise SpreadsheetError.for_code("not_a_workbook")
        for number, row in enumerate(sheet.iter_rows(max_row=sheet_rows + 1, max_col=MAX_COLUMNS, values_only=True), 1):
            if number > sheet_rows:
                raise SpreadsheetError.for_code("too_many_rows", limit=limit)
            values = list(row)
            if number == 1:
                if [str(value or "").strip() for value in values[: len(headings)]] != headings:
                    raise SpreadsheetError.for_code("wrong_headings", headings="、".join(headings))
                continue
            if any(value not in (None, "") for value in values):
                rows.append((number, (values + [None] * len(headings))[: len(headings)]))
                if any(_has_control_characters(value) for value in values):
                    controlled.append(number)
            if len(rows) > limit:
                raise SpreadsheetError.for_code("too_many_rows", limit=limit)
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet inside a sound zip: openpyxl fails while reading
        raise SpreadsheetError.for_code("damaged") from error
    finally:
        workbook.close()
    if not rows:
        raise SpreadsheetError.for_code("no_rows")
    if controlled:
        shown = "、".join(str(number) for number in controlled[:20]) + ("…" if len(controlled) > 20 else "")
        error = SpreadsheetError.for_code("control_characters", rows=shown)
        error.row_codes = {number: ["control_characters"] for number in controlled}
        raise error
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


class CellProblem(Exception):
    """A cell that cannot be imported: `code` for tests, `message` for the user."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message, self.code = str(message), code


class Column:
    """One column of an import template: its heading, the key its value is stored under, and
    how a cell becomes a value (`parse`). Empty cells give None, or a problem when required.
    Both imports build their rows from these classes, so a cell means the same in each."""

    def __init__(self, heading: str, key: str, *, required: bool = False):
        self.heading, self.key, self.required = heading, key, required

    def clean(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise self.problem("empty", _("“%(column)s” is empty"))
            return None
        return self.parse(value)

    def parse(self, value):
        return value

    def problem(self, code: str, message, **params) -> CellProblem:
        return CellProblem(message % {"column": self.heading, **params}, code=f"{self.heading}:{code}")


class TextColumn(Column):
    """Text, stripped; refused when a spreadsheet would run it as a formula or when it is longer
    than the field that stores it (never cut silently)."""

    def __init__(self, heading, key, *, max_length: int, required: bool = False):
        super().__init__(heading, key, required=required)
        self.max_length = max_length

    def parse(self, value):
        text = str(value).strip()
        if str(value).lstrip().startswith(FORMULA_PREFIXES):
            raise self.problem("formula", _("“%(column)s” starts with = + - or @"))
        if len(text) > self.max_length:
            raise self.problem("too_long", _("“%(column)s” is longer than %(limit)d characters"), limit=self.max_length)
        return text


class DateColumn(Column):
    """A date, not after today."""

    def parse(self, value):
        date = cell_date(value)
        if date is None:
            raise self.problem("not_a_date", _("“%(column)s” is not a date"))
        if date > timezone.localdate():
            raise self.problem("future", _("“%(column)s” is later than today"))
        return date


MAX_COUNT = 2_147_483_647  # the largest value an integer column holds on every database


class CountColumn(Column):
    """A whole number of zero or more (3, 3.0 or "3"), within what the database can store."""

    def parse(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
            return value
        raise self.problem("not_a_count", _("“%(column)s” is not a whole number of zero or more"))


class ChoiceColumn(Column):
    """One of the given names ({text in the cell: value})."""

    def __init__(self, heading, key, *, choices: dict, required: bool = False):
        super().__init__(heading, key, required=required)
        self.choices = choices

    def parse(self, value):
        text = str(value).strip()
        if text not in self.choices:
            raise self.problem("unknown", _("“%(column)s” has an unknown value “%(value)s”"), value=text)
        return self.choices[text]


class UnitColumn(Column):
    """A unit of `units` (the importer's scope), by its code or its name. A name that several
    units in the scope share is refused: the row must give the code."""

    def __init__(self, heading, key, *, units, required: bool = True):
        super().__init__(heading, key, required=required)
        self.by_code, self.by_name = {}, {}
        for unit in units:
            self.by_code[unit.code] = unit
            self.by_name.setdefault(unit.name, []).append(unit)

    def parse(self, value):
        text = str(value).strip()
        if text in self.by_code:
            return self.by_code[text]
        named = self.by_name.get(text, [])
        if len(named) > 1:
            raise self.problem("ambiguous", _("“%(value)s” names several units; give the unit code"), value=text)
        if not named:
            raise self.problem("unknown", _("unknown unit “%(value)s”"), value=text)
        return named[0]


class ImportRow:
    """A row read through the columns: its raw `cells`, the `values` by key, and the problems found."""

    def __init__(self, number: int, cells: list, values: dict, problems: list[CellProblem]):
        self.number, self.cells, self.values, self.problems = number, cells, values, problems

    def refuse(self, code: str, message) -> None:
        """Add a problem that spans columns (person-times fewer than sessions …)."""
        self.problems.append(CellProblem(message, code=code))


def read_table(workbook_file, *, columns: list[Column], limit: int) -> list[ImportRow]:
    """Every row of the upload, each cell cleaned by its column."""
    rows = []
    for number, cells in read_rows(workbook_file, headings=[column.heading for column in columns], limit=limit):
        values, problems = {}, []
        for column, cell in zip(columns, cells, strict=True):
            try:
                values[column.key] = column.clean(cell)
            except CellProblem as problem:
                problems.append(problem)
        rows.append(ImportRow(number, cells, values, problems))
    return rows


def refuse_bad_rows(rows: list[ImportRow]) -> None:
    """Raise one SpreadsheetError naming every bad row, or return when all rows are good."""
    bad = [row for row in rows if row.problems]
    if not bad:
        return
    messages = [
        _("row %(row)d: %(problems)s") % {"row": row.number, "problems": "；".join(p.message for p in row.problems)}
        for row in bad[:20]
    ]
    details = " ".join(messages)
    if len(bad) > 20:
        details += " " + _("…and %(count)d more rows.") % {"count": len(bad) - 20}
    error = SpreadsheetError.for_code("rows_refused", details=details)
    error.row_codes = {row.number: [problem.code for problem in row.problems] for row in bad}
    raise error


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
