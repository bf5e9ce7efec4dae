"""The work report in the source report's own structure, written from the figures. One outline
feeds the web page, the .docx and the .xlsx, so they can never disagree."""

import datetime
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl.styles import Alignment, Font

from core.spreadsheets import neutralise_formula
from core.text import xml_safe
from reports.figures import SECTIONS, Figure

CHINESE_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四"}

# The page of a Chinese official document (GB/T 9704-2012): A4, top margin 37 mm, binding (left)
# margin 28 mm, a type area of 156 × 225 mm, hence 35 mm at the bottom and 26 mm on the right.
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINE = Pt(28)  # 22 lines of 三号 (16 pt) type on the page


@dataclass
class Block:
    kind: str  # "title", "paragraph", "heading", "signature"
    text: str


def chinese_date(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def default_title(*, commission: str, city: str, unit_name: str) -> str:
    """The generated title: the commission's report, naming the unit when it is not the whole city."""
    scope = "" if unit_name == city else f"（{unit_name}）"
    return f"{commission}关于廉洁文化建设工作情况的汇报{scope}"


def outline(
    *,
    figures: dict[str, Figure],
    city: str,
    commission: str,
    department: str,
    unit_name: str,
    start,
    end,
    issued_on,
    title: str = "",
) -> list[Block]:
    """The report's blocks; `title` replaces the generated title when given, `issued_on` is the
    date of issue (成文日期) under the signature."""
    f = {key: figure.display for key, figure in figures.items()}
    parts = {key: figure.parts for key, figure in figures.items()}
    base = parts["B1"].get("name") or "廉洁教育基地"
    section_titles = "；".join(parts["B2"].get("section_titles", []))
    period = f"{chinese_date(start)}至{chinese_date(end)}"
    blocks = [
        Block("title", title or default_title(commission=commission, city=city, unit_name=unit_name)),
        Block(
            "paragraph",
            f"{commission}不断加强廉洁文化建设的影响力，切实增强全市广大党员干部的勤政廉洁意识，"
            f"着力营造风清气正的发展环境。现将{period}本市廉洁文化建设工作情况汇报如下（数据均由平台"
            "按记录自动统计）。",
        ),
        Block("heading", f"{CHINESE_NUMBERS[1]}、{SECTIONS[1]}"),
        Block(
            "paragraph",
            f"一是传承红色力量，打造廉洁基地。{base}于{parts['B1'].get('started') or '—'}开工建设，"
            f"{parts['B1'].get('opened') or '—'}正式开馆，馆区建筑面积为{parts['B2'].get('area') or '—'}平方米，"
            f"分{parts['B2'].get('floors') or '—'}层展区，共设展区{parts['B2'].get('sections') or 0}大部分"
            f"{'，分别为' + section_titles if section_titles else ''}。全市打造红色文化教育项目{f['B3']}。",
        ),
        Block(
            "paragraph",
            f"二是弘扬抗联精神，筑建教育展馆。依托{f['B4']}红廉教育展馆，强化参观人员获得感，持续渗透红色基因。",
        ),
        Block(
            "paragraph",
            f"三是培养浩然正气，垒起廉洁高墙。全市已建成廉洁文化示范村{f['B5']}"
            f"（辖区乡镇{parts['B5'].get('townships', 0)}个），在醒目位置设置廉洁文化墙、宣传板和条幅，"
            "聘请村民廉洁文化宣传员。",
        ),
        Block("heading", f"{CHINESE_NUMBERS[2]}、{SECTIONS[2]}"),
        Block(
            "paragraph",
            f"一是强化制度建立，夯实廉洁文化基础。印发学习资料和法规汇编{parts['P1'].get('count', 0)}种"
            f"{f['P1']}，向全市各口径机关单位发放《工作要点》{f['P2']}。组织全市党员干部签订"
            f"《廉洁自律承诺书》{f['S1']}。印发关于“升学宴”“谢师宴”的通知{f['P3']}，组织签订"
            f"《党员干部不操办“升学宴”“谢师宴”承诺书》{f['S2']}，在电视台发布廉洁过节公告{f['P4']}。"
            f"节日期间开展专项检查{f['A1']}，检查点位{parts['A1'].get('places', 0)}处，"
            f"发现问题{parts['A1'].get('problems', 0)}个，移交问题线索{parts['A1'].get('leads', 0)}件。",
        ),
        Block(
            "paragraph",
            f"二是创新宣传引领，提升廉洁文化内涵。上报内网信息{f['P5']}、外网信息{f['P6']}，"
            f"在市纪委监委专刊发表信息{f['P7']}、省纪委内网网站发表信息{f['P8']}、在省纪委网站发表"
            f"{f['P9']}、市纪委网站发表{f['P10']}、市纪委微信公众号发表{f['P11']}，通过门户网站刊发"
            f"各类文章信息和宣传报道{f['P12']}；下发各类典型案例通报{f['P13']}，开展了《中国共产党"
            f"纪律处分条例》解读授课{f['A2']}；印发警示教育学习资料{f['P14']}。开展讲规学法督导检查"
            f"{f['A3a']}，各级党组织讲规学法共计开展{f['A3b']}。",
        ),
        Block("heading", f"{CHINESE_NUMBERS[3]}、{SECTIONS[3]}"),
        Block(
            "paragraph",
            "一是创建廉洁勤政好机关。组织全市党员干部和公职人员参观廉洁文化主题公园和廉洁教育基地，"
            f"参观人数共计{f['B6']}。",
        ),
        Block("paragraph", f"二是树立廉洁文化从娃娃抓起的理念，创建廉洁教育好学校。开展青少年书画评展征稿{f['A6']}。"),
        Block("heading", f"{CHINESE_NUMBERS[4]}、{SECTIONS[4]}"),
        Block("paragraph", f"一是注重培植廉洁根基，思想与艺术相融合。创作富含廉洁蕴意的优秀书画作品{f['A5']}。"),
        Block(
            "paragraph",
            f"二是注重强化法纪意识，头脑与规则相支撑。全市各级党组织开展《条例》学习会和研讨活动"
            f"{f['A4a']}，参加学习教育的党员干部共计{f['A4b']}，各级领导班子成员撰写学习心得体会文章"
            f"{f['A4c']}，发放《条例》学习工具书{f['P15']}。",
        ),
        Block("signature", department),
        Block("signature", chinese_date(issued_on)),
    ]
    return blocks


def _set_chinese_font(run, name="仿宋", size=16):
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _extended_properties(company: str) -> bytes:
    """docProps/app.xml naming the issuing department only (the libraries write English
    application names and a template name there)."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Company>{escape(company)}</Company></Properties>"
    ).encode()


def _page_number_footer(section):
    """“— 1 —” centred at the foot of every page."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_chinese_font(paragraph.add_run("— "), "宋体", 14)
    for kind, text in [("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)]:
        run = paragraph.add_run()
        _set_chinese_font(run, "宋体", 14)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    _set_chinese_font(paragraph.add_run(" —"), "宋体", 14)


def _setup_document(document, *, title: str, author: str):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(21)  # the page number sits about 7 mm below the type area
    _page_number_footer(section)

    normal = document.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = LINE
    # The template declares American English for all text: Chinese text is proofed as Chinese.
    for lang in document.styles.element.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), "zh-CN")

    now = timezone.now().replace(microsecond=0, tzinfo=None)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    properties.language = "zh-CN"
    properties.created = properties.modified = now
    properties.revision = 1

    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RELATIONSHIP_TYPE.THUMBNAIL, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES):
            package.rels.pop(rel_id)  # the template's thumbnail is an empty Letter page
    app = Part(PackURI("/docProps/app.xml"), CONTENT_TYPE.OFC_EXTENDED_PROPERTIES, _extended_properties(author))
    package.relate_to(app, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)


def docx_bytes(blocks: list[Block], *, author: str = "") -> bytes:
    """A Word document laid out as a Chinese official report: A4 with the GB/T 9704 margins,
    方正小标宋 title, 黑体 headings, 仿宋 text on a 28 pt line, page numbers at the foot."""
    document = Document()
    title = xml_safe(next((block.text for block in blocks if block.kind == "title"), ""))
    _setup_document(document, title=title, author=author)
    for block in blocks:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(xml_safe(block.text))
        if block.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(36)
            paragraph.paragraph_format.space_after = LINE
            _set_chinese_font(run, "方正小标宋简体", 22)
        elif block.kind == "heading":
            _set_chinese_font(run, "黑体", 16)
            paragraph.paragraph_format.first_line_indent = Pt(32)
        elif block.kind == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(64)  # 右空四字
            _set_chinese_font(run)
        else:
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _set_chinese_font(run)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The zip `data` with the member `name` replaced by `content`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return buffer.getvalue()


def xlsx_bytes(figures: list[Figure], *, title: str, issued_on: datetime.date, author: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.properties.title = neutralise_formula(title)
    workbook.properties.creator = workbook.properties.lastModifiedBy = author
    workbook.properties.language = "zh-CN"
    sheet = workbook.active
    sheet.title = "统计数据"
    sheet.append(
        [neutralise_formula(title), None, None, None, _("Date of issue: %(date)s") % {"date": chinese_date(issued_on)}]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["E1"].alignment = Alignment(horizontal="right", vertical="center")
    sheet.append(["部分", "编号", "项目", "数值", "口径"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for figure in figures:
        value = figure.value if isinstance(figure.value, int) else figure.display
        sheet.append(
            [
                f"{CHINESE_NUMBERS[figure.section]}、{SECTIONS[figure.section]}",
                figure.id,
                neutralise_formula(figure.label),
                value if isinstance(value, int) else neutralise_formula(value),
                neutralise_formula(figure.definition),
            ]
        )
    for column, width in zip("ABCDE", [30, 8, 40, 30, 70], strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        row[4].alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _replace_member(buffer.getvalue(), "docProps/app.xml", _extended_properties(author))
