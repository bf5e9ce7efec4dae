"""Hostile workbooks: read_rows refuses them with a SpreadsheetError code, cheaply, and most of
them before openpyxl opens the file."""

import io
import struct
import zipfile

import openpyxl
import pytest

from core import spreadsheets
from core.spreadsheets import SpreadsheetError, read_rows

HEADINGS = ["单位", "标题"]


def workbook(rows=(("东山镇", "学习"),)) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADINGS)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_parts(source: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """`source` (an .xlsx) with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    original = zipfile.ZipFile(io.BytesIO(source))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            archive.writestr(name, replace.get(name, original.read(name)))
        for name, data in add.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sheet_xml(dimension: str, rows: bytes = b"") -> bytes:
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension.encode() + b'"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A real workbook whose sheet unpacks to `unpacked_bytes` of repeated rows: small on disk."""
    original = zipfile.ZipFile(io.BytesIO(workbook()))
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, original.read(name))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(unpacked_bytes // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    """The checks must refuse the file before openpyxl parses anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(spreadsheets.openpyxl, "load_workbook", refuse)


def refusal(data: bytes, **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as error:
        read_rows(io.BytesIO(data), headings=HEADINGS, **kwargs)
    return error.value


def test_a_sound_workbook_is_still_read():
    assert read_rows(io.BytesIO(workbook()), headings=HEADINGS) == [(2, ["东山镇", "学习"])]


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(openpyxl_must_not_open):
    bomb = zip_bomb(spreadsheets.MAX_UNPACKED_BYTES + 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # under 1 MB on disk, over 50 MB unpacked
    assert refusal(bomb).code == "too_large"


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(openpyxl_must_not_open):
    """Sizes in the zip's headers are what the uploader wrote; the bytes actually unpacked count."""
    data = bytearray(zip_bomb(2 * 1024 * 1024))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == b"xl/worksheets/sheet1.xml":
                size = struct.unpack_from("<I", data, start + offset)[0]
                if size != 0xFFFFFFFF:  # zip64 entries keep their sizes in an extra field
                    struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    assert refusal(bytes(data)).code in {"damaged", "too_large"}


def test_too_many_parts_are_refused(openpyxl_must_not_open):
    parts = {f"xl/media/image{number}.png": b"x" for number in range(spreadsheets.MAX_PARTS + 1)}
    assert refusal(with_parts(workbook(), add=parts)).code == "too_large"


@pytest.mark.parametrize(
    ("dimension", "code"),
    [("A1:XFD1048576", "too_many_columns"), ("A1:B1048576", "too_many_rows"), ("A1:AZ2", "too_many_columns")],
)
def test_a_sheet_declaring_a_huge_extent_is_refused(openpyxl_must_not_open, dimension, code):
    data = with_parts(workbook(), replace={"xl/worksheets/sheet1.xml": sheet_xml(dimension)})
    assert len(data) < 10_000
    assert refusal(data).code == code


def test_rows_beyond_the_declared_extent_stop_at_the_limit():
    """A sheet without a dimension, with rows far below its data, is read only up to the limit."""
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8d\x95\xe4\xbd\x8d</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>\xe6\xa0\x87\xe9\xa2\x98</t></is></c></row>'
        b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    sheet = sheet_xml("A1", rows).replace(b'<dimension ref="A1"/>', b"")
    error = refusal(with_parts(workbook(), replace={"xl/worksheets/sheet1.xml": sheet}), limit=10)
    assert error.code == "too_many_rows"


def test_a_damaged_sheet_inside_a_sound_zip_is_refused_not_a_crash():
    truncated = sheet_xml("A1:B2", b'<row r="1"><c r="A1" t="inlineStr"><is><t>')[:-40]
    assert refusal(with_parts(workbook(), replace={"xl/worksheets/sheet1.xml": truncated})).code == "damaged"


def test_a_part_failing_its_checksum_is_refused(openpyxl_must_not_open):
    original = zipfile.ZipFile(io.BytesIO(workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in original.namelist():
            archive.writestr(name, original.read(name))
    data = bytearray(buffer.getvalue())
    at = data.find(b"<sheetData>")
    data[at + 1 : at + 2] = b"S"  # one byte changed, the CRC kept
    assert refusal(bytes(data)).code == "damaged"


def test_a_document_type_declaration_is_refused(openpyxl_must_not_open):
    sheet = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>' + sheet_xml("A1:B2")
    assert refusal(with_parts(workbook(), replace={"xl/worksheets/sheet1.xml": sheet})).code == "damaged"


@pytest.mark.parametrize("data", [b"", b"not a workbook", b"PK\x03\x04broken", b"%PDF-1.7"])
def test_what_is_not_a_workbook_is_refused(openpyxl_must_not_open, data):
    assert refusal(data).code == "not_a_workbook"


def test_a_zip_that_is_not_a_workbook_is_refused(openpyxl_must_not_open):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue()).code == "not_a_workbook"


def test_a_file_too_large_to_upload_is_refused_unread(openpyxl_must_not_open, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_WORKBOOK_BYTES", 1000)
    assert refusal(workbook()).code == "too_large"


def test_control_characters_in_cells_refuse_the_file_and_name_the_rows():
    """XML cannot carry NUL or ESC, but DEL and the C1 controls (CSI \\x9b starts a terminal
    escape) pass through a workbook; tab and line breaks inside a cell are fine."""
    data = workbook([("东山镇", "学习\t研讨\n第二行"), ("东山镇", "\x9b31m红字"), ("西河镇", "删除\x7f")])
    error = refusal(data)
    assert error.code == "control_characters"
    assert error.row_codes == {3: ["control_characters"], 4: ["control_characters"]}
    assert "3、4" in error.message
