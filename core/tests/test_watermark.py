import io

import docx
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from core.tests.pdfs import sample_docx, sample_image, sample_pdf
from core.watermark import WatermarkError, stamp_docx, stamp_image, stamp_pdf

LINES = ["张三 东山镇向阳村", "2026-11-28 14:30", "追踪码 K7Q2M9XD"]


def test_every_page_of_a_stamped_pdf_names_the_reader_and_keeps_its_own_text():
    stamped = PdfReader(io.BytesIO(stamp_pdf(sample_pdf(5), LINES)))
    assert len(stamped.pages) == 5
    for number, page in enumerate(stamped.pages, start=1):
        text = page.extract_text()
        assert "张三" in text and "东山镇向阳村" in text and "K7Q2M9XD" in text
        assert f"第{number}页" in text
    assert "K7Q2M9XD" in stamped.metadata["/Subject"]


def test_pages_of_another_size_or_origin_are_stamped_too():
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf(2))))
    writer.pages[1].mediabox = RectangleObject([100, 100, 500, 400])
    writer.add_blank_page(300, 200)  # a page without any content of its own
    buffer = io.BytesIO()
    writer.write(buffer)
    stamped = PdfReader(io.BytesIO(stamp_pdf(buffer.getvalue(), LINES)))
    assert all("K7Q2M9XD" in page.extract_text() for page in stamped.pages)


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really", b"", b"\x89PNG\r\n"])
def test_an_unreadable_pdf_is_a_clear_error(data):
    with pytest.raises(WatermarkError) as error:
        stamp_pdf(data, LINES)
    assert error.value.code == "unreadable_pdf"


def test_a_password_protected_pdf_is_a_clear_error():
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf(1))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(WatermarkError) as error:
        stamp_pdf(buffer.getvalue(), LINES)
    assert error.value.code == "unreadable_pdf"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_stamped_image_keeps_its_format_and_size_and_carries_the_marks(image_format):
    original = sample_image(image_format, (900, 700))
    stamped = stamp_image(original, LINES)
    with Image.open(io.BytesIO(stamped)) as after, Image.open(io.BytesIO(original)) as before:
        assert after.format == image_format and after.size == (900, 700)
        difference = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).convert("L")
        changed = sum(difference.histogram()[21:])
    # Marks spread over the whole picture: its four quarters all changed.
    assert changed > 900 * 700 * 0.01
    for box in [(0, 0, 450, 350), (450, 0, 900, 350), (0, 350, 450, 700), (450, 350, 900, 700)]:
        assert difference.crop(box).getbbox() is not None


def test_an_unreadable_image_is_a_clear_error():
    with pytest.raises(WatermarkError) as error:
        stamp_image(b"\xff\xd8\xff\xe0 broken", LINES)
    assert error.value.code == "unreadable_image"


def test_without_the_font_images_are_refused_with_a_clear_error_and_a_system_check(settings):
    from core.checks import watermark_font

    settings.WATERMARK_FONT = "/nonexistent/no-such-font.ttc"
    with pytest.raises(WatermarkError) as error:
        stamp_image(sample_image(), LINES)
    assert error.value.code == "font_missing"
    assert [warning.id for warning in watermark_font(None)] == ["core.W002"]


def test_every_section_of_a_stamped_docx_has_the_reader_in_its_header():
    document = docx.Document(io.BytesIO(stamp_docx(sample_docx(3), LINES)))
    assert len(document.sections) == 3
    for section in document.sections:
        header = " ".join(paragraph.text for paragraph in section.header.paragraphs)
        assert "张三" in header and "K7Q2M9XD" in header
    assert [paragraph.text for paragraph in document.paragraphs][:1] == ["第一部分正文"]


def test_an_unreadable_docx_is_a_clear_error():
    with pytest.raises(WatermarkError) as error:
        stamp_docx(b"PK\x03\x04 not a zip", LINES)
    assert error.value.code == "unreadable_docx"
