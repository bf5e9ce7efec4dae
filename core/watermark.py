"""Visible watermarks that name the reader of a restricted file (PDF, image, .docx).

Each function takes the file's bytes and a few short lines of text (who, which unit, when, a
trace code) and returns a new file with the lines on every page: tiled diagonally and
semi-transparent across the page, and once more, horizontally, at the foot of the page (or in the
header of a .docx), where text extraction finds them. A file that cannot be read raises
WatermarkError, a DomainError whose message a view shows as it is.

PDF: the overlay is drawn once per page size with reportlab and merged onto every page with
pypdf, which is what keeps a 50-page document well under a second (bench/watermark.py). Chinese
text uses reportlab's built-in CID font STSong-Light (no font file, extractable text).
Images: Pillow, with the CJK font of settings.WATERMARK_FONT (fonts-wqy-zenhei by default).
"""

import io
import math
import zipfile
from functools import cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from core.errors import DomainError

PDF_FONT = "STSong-Light"
# Grey, light enough to read the page through, dark enough to survive a photocopy.
TILE_GREY = 0.45
TILE_OPACITY = 0.18
IMAGE_TILE_RGBA = (110, 110, 110, 70)
IMAGE_FOOT_RGBA = (70, 70, 70, 200)


class WatermarkError(DomainError):
    error_messages = {
        "unreadable_pdf": _("The PDF file is damaged or protected and cannot be prepared for you."),
        "unreadable_image": _("The image is damaged and cannot be prepared for you."),
        "unreadable_docx": _("The Word document is damaged and cannot be prepared for you."),
        "font_missing": _(
            "The watermark font is missing on the server (install fonts-wqy-zenhei or set WATERMARK_FONT)."
        ),
    }


# --- PDF ----------------------------------------------------------------------------------


def stamp_pdf(data: bytes, lines: list[str]) -> bytes:
    """`data` with `lines` tiled across and printed at the foot of every page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise WatermarkError.for_code("unreadable_pdf")
        writer = PdfWriter(clone_from=reader)
        # The overlays' readers stay referenced until the writer is written: pypdf maps the
        # objects it copies by id(reader), and a collected reader's id could go to the next one.
        overlays, forms = [], {}
        for page in writer.pages:
            box = page.mediabox
            size = (round(float(box.width), 1), round(float(box.height), 1))
            if size not in forms:
                overlays.append(PdfReader(io.BytesIO(_pdf_overlay(size, lines))))
                forms[size] = _pdf_form(writer, overlays[-1].pages[0])
            _draw_form_over(writer, page, forms[size], float(box.left), float(box.bottom))
        writer.add_metadata({"/Subject": " · ".join(lines)})
        output = io.BytesIO()
        writer.write(output)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError) as error:
        raise WatermarkError.for_code("unreadable_pdf") from error
    return output.getvalue()


FORM_NAME = "/QingfengWatermark"


def _pdf_form(writer, page):
    """The overlay `page` as a form XObject of `writer` (its still compressed content and its
    resources), drawn by every page of that size. Merging the overlay page into each page instead
    decodes and rewrites every page's content: ninety times slower (bench/README.md)."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    content = page["/Contents"].get_object()
    form = content.clone(writer, force_duplicate=True)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"].get_object().clone(writer)
    return writer._add_object(form)


def _draw_form_over(writer, page, form, left: float, bottom: float) -> None:
    """Add to `page` a last content stream that draws `form`, after wrapping the page's own
    content in q … Q so that whatever state it leaves does not move or hide the watermark."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NullObject

    resources = page.get("/Resources")
    resources = DictionaryObject() if resources is None else resources.get_object()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject() if xobjects is None else DictionaryObject(xobjects.get_object())
    xobjects[NameObject(FORM_NAME)] = form
    resources = DictionaryObject(resources)
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ q 1 0 0 1 {left:g} {bottom:g} cm {FORM_NAME} Do Q\n".encode())
    contents = page.get("/Contents")
    own = None if contents is None else contents.get_object()
    if own is None or isinstance(own, NullObject):
        own = []
    else:
        own = list(own) if isinstance(own, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *own, writer._add_object(after)] if own else [writer._add_object(after)]
    )


def _pdf_overlay(size: tuple[float, float], lines: list[str]) -> bytes:
    """One page of `size` (points) holding the tiled, rotated lines and the foot line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = size
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, pageCompression=1)
    pdf.setFillColorRGB(TILE_GREY, TILE_GREY, TILE_GREY, alpha=TILE_OPACITY)
    font_size = max(10.0, min(width, height) / 30)
    leading = font_size * 1.4
    tile_width = max(pdfmetrics.stringWidth(line, PDF_FONT, font_size) for line in lines) + font_size * 3
    tile_height = leading * len(lines) + font_size * 3
    pdf.saveState()
    pdf.translate(width / 2, height / 2)
    pdf.rotate(30)
    reach = math.hypot(width, height) / 2
    for row in range(-int(reach // tile_height) - 1, int(reach // tile_height) + 2):
        offset = (row % 2) * tile_width / 2
        for column in range(-int(reach // tile_width) - 1, int(reach // tile_width) + 2):
            text = pdf.beginText(column * tile_width + offset, row * tile_height)
            text.setFont(PDF_FONT, font_size, leading)
            for line in lines:
                text.textLine(line)
            pdf.drawText(text)
    pdf.restoreState()
    foot_size = max(6.0, min(9.0, width / 70))
    pdf.setFillColorRGB(0.3, 0.3, 0.3, alpha=0.8)
    pdf.setFont(PDF_FONT, foot_size)
    pdf.drawCentredString(width / 2, foot_size * 1.2, "  ".join(lines))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- Images -------------------------------------------------------------------------------


def stamp_image(data: bytes, lines: list[str]) -> bytes:
    """`data` (JPEG, PNG or WebP) with `lines` tiled across it, in the same format and size."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            image_format = original.format
            original.load()
            image = original.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise WatermarkError.for_code("unreadable_image") from error
    width, height = image.size
    font = _image_font(max(12, min(width, height) // 28))
    tile = _image_tile(lines, font)
    step_x, step_y = tile.size
    # Tiles side by side (every other row shifted by half a tile) on a sheet one tile wider than
    # the image on each side, then the image's part of it: no tile is cut short at an edge.
    sheet = Image.new("RGBA", (width + 2 * step_x, height + 2 * step_y), (0, 0, 0, 0))
    for row, top in enumerate(range(0, sheet.height - step_y + 1, step_y)):
        for left in range((row % 2) * step_x // 2, sheet.width - step_x + 1, step_x):
            sheet.paste(tile, (left, top))
    layer = sheet.crop((step_x, step_y, step_x + width, step_y + height))
    foot_font = _image_font(max(10, min(width, height) // 45))
    draw = ImageDraw.Draw(layer)
    foot = "  ".join(lines)
    box = draw.textbbox((0, 0), foot, font=foot_font)
    draw.text(
        (max((width - (box[2] - box[0])) // 2, 0), height - (box[3] - box[1]) * 2),
        foot,
        font=foot_font,
        fill=IMAGE_FOOT_RGBA,
    )
    stamped = Image.alpha_composite(image, layer)
    buffer = io.BytesIO()
    if image_format == "PNG":
        stamped.save(buffer, "PNG")
    elif image_format == "WEBP":
        stamped.save(buffer, "WEBP", quality=90)
    else:
        stamped.convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _image_tile(lines: list[str], font) -> Image.Image:
    """The lines rotated 30°, on a transparent square with room around them."""
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    box = measure.multiline_textbbox((0, 0), "\n".join(lines), font=font, spacing=font.size // 3)
    text_width, text_height = box[2] - box[0], box[3] - box[1]
    block = Image.new("RGBA", (text_width + font.size * 4, text_height + font.size * 4), (0, 0, 0, 0))
    ImageDraw.Draw(block).multiline_text(
        (font.size * 2, font.size * 2), "\n".join(lines), font=font, fill=IMAGE_TILE_RGBA, spacing=font.size // 3
    )
    return block.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)


def _image_font(size: int):
    try:
        return _font_file(settings.WATERMARK_FONT, size)
    except OSError as error:
        raise WatermarkError.for_code("font_missing") from error


@cache
def _font_file(path: str, size: int):
    return ImageFont.truetype(path, size)


# --- Word documents -----------------------------------------------------------------------


def stamp_docx(data: bytes, lines: list[str]) -> bytes:
    """`data` with `lines` at the top of the header of every section (first, odd and even pages)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.shared import Pt, RGBColor
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError) as error:
        raise WatermarkError.for_code("unreadable_docx") from error
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraphs = header.paragraphs
            paragraph = paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph()
            run = paragraph.add_run("  ".join(lines))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    document.core_properties.subject = " · ".join(lines)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def font_available() -> bool:
    """Whether the image watermark's font can be loaded (a system check asks)."""
    try:
        _font_file(settings.WATERMARK_FONT, 12)
    except OSError:
        return False
    return True
