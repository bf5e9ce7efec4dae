"""Real documents for the watermark tests and bench/watermark.py: a PDF with Chinese text on
every page, a JPEG/PNG, a .docx with several sections."""

import io

from PIL import Image

PARAGRAPH = (
    "各级党组织要把廉洁文化建设摆在突出位置，坚持以案为鉴、以案促改，持续深化警示教育，"
    "推动党员干部知敬畏、存戒惧、守底线。"
)


def sample_pdf(pages: int = 3, *, marker: str = "") -> bytes:
    """An A4 document of `pages` pages, each with a heading (and `marker`) and 40 lines of text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from core.watermark import PDF_FONT

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        pdf.setFont(PDF_FONT, 16)
        pdf.drawString(72, 780, f"关于典型问题的通报（第{number}页）{marker}")
        text = pdf.beginText(72, 750)
        text.setFont(PDF_FONT, 10.5, 16)
        for line in range(40):
            text.textLine(PARAGRAPH[line % 20 :] + PARAGRAPH[: line % 20])
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def sample_image(image_format: str = "JPEG", size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (245, 245, 235)).save(buffer, image_format)
    return buffer.getvalue()


def sample_docx(sections: int = 2) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("第一部分正文")
    for number in range(2, sections + 1):
        document.add_section()
        document.add_paragraph(f"第{number}部分正文")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
