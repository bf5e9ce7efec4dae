"""The work report as a user receives it: the page, the Word document and the figures table."""

import html
import io
import re
import zipfile
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from units.models import Unit

PERIOD = {"start": "2020-01-01", "end": "2022-09-06"}
CHOSEN = {"title": "兴源镇2022年度廉洁文化建设工作总结", "issued_on": "2022-09-10"}
CHOSEN_DATE = "2022年9月10日"
ENGLISH = re.compile(r"[A-Za-z]{2,}")
GENERATED_TITLE = "关于廉洁文化建设工作情况的汇报"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Unit.objects.get(code="CITY")


def docx_of(response):
    assert response["Content-Type"].endswith("wordprocessingml.document"), response["Content-Type"]
    return Document(io.BytesIO(response.content))


def xlsx_of(response):
    assert response["Content-Type"].endswith("spreadsheetml.sheet"), response["Content-Type"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def paragraphs(document):
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text]


def download_links(page_html):
    """The hrefs of the .docx and .xlsx buttons on the report page."""
    links = {}
    for name in ["report-docx", "report-xlsx"]:
        match = re.search(rf'href="({re.escape(reverse(f"reports:{name}"))}\?[^"]*)"', page_html)
        assert match, name
        links[name] = html.unescape(match.group(1))
    return links


def english_words(text):
    return set(ENGLISH.findall(text))


def filename(response):
    match = re.search(r"filename\*=utf-8''(\S+)", response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return unquote(match.group(1))


def app_properties_text(content):
    """The text of docProps/app.xml (what Windows shows as the file's program and company)."""
    xml = zipfile.ZipFile(io.BytesIO(content)).read("docProps/app.xml").decode()
    return re.sub(r"<[^>]+>", " ", re.sub(r"<\?xml[^>]*\?>", "", xml))


# 1. The .docx is an A4 page with the margins of a Chinese official document.


def test_the_docx_is_a4_portrait_with_official_document_margins(admin_client, city):
    document = docx_of(admin_client.get(reverse("reports:report-docx"), {**PERIOD, "unit": city.pk}))
    section = document.sections[0]
    assert len(document.sections) == 1
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]  # GB/T 9704: type area 156 × 225 mm
    assert "— 1 —" in [paragraph.text for paragraph in section.footer.paragraphs]


# 2. The report date (成文日期) and the title can be chosen, and every output uses them.


def test_the_page_shows_the_chosen_title_and_date_and_its_download_links_carry_them(admin_client, city):
    response = admin_client.get(reverse("reports:report"), {**PERIOD, "unit": city.pk, **CHOSEN})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h3 class="report-title">兴源镇2022年度廉洁文化建设工作总结</h3>' in page
    assert f'<p class="report-signature">{CHOSEN_DATE}</p>' in page
    assert 'value="兴源镇2022年度廉洁文化建设工作总结"' in page and 'value="2022-09-10"' in page
    assert "汇报标题" in page and "成文日期" in page

    links = download_links(page)
    document = docx_of(admin_client.get(links["report-docx"]))
    assert paragraphs(document)[0] == CHOSEN["title"]
    assert paragraphs(document)[-1] == CHOSEN_DATE
    sheet = xlsx_of(admin_client.get(links["report-xlsx"]))["统计数据"]
    assert sheet["A1"].value == CHOSEN["title"]
    assert sheet["E1"].value == f"成文日期：{CHOSEN_DATE}"


def test_the_docx_states_the_chosen_title_and_date_of_issue(admin_client, city):
    document = docx_of(admin_client.get(reverse("reports:report-docx"), {**PERIOD, "unit": city.pk, **CHOSEN}))
    text = paragraphs(document)
    assert text[0] == CHOSEN["title"] and GENERATED_TITLE not in text[0]
    assert text[-2:] == ["中共云岭市纪委宣传部", CHOSEN_DATE]
    assert document.core_properties.title == CHOSEN["title"]


def test_the_xlsx_states_the_chosen_title_and_date_of_issue(admin_client, city):
    workbook = xlsx_of(admin_client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": city.pk, **CHOSEN}))
    sheet = workbook["统计数据"]
    assert [cell.value for cell in sheet[1]] == [CHOSEN["title"], None, None, None, f"成文日期：{CHOSEN_DATE}"]
    assert [cell.value for cell in sheet[2]] == ["部分", "编号", "项目", "数值", "口径"]
    assert workbook.properties.title == CHOSEN["title"]


def test_without_a_choice_the_generated_title_and_today_are_used(admin_client, city):
    today = timezone.localdate()
    page = admin_client.get(reverse("reports:report"), {**PERIOD, "unit": city.pk}).content.decode()
    assert f'value="{today.isoformat()}"' in page  # the date of issue field starts at today
    assert f'placeholder="云岭市纪委监委{GENERATED_TITLE}"' in page
    links = download_links(page)
    text = paragraphs(docx_of(admin_client.get(links["report-docx"])))
    assert text[0] == f"云岭市纪委监委{GENERATED_TITLE}"
    assert text[-1] == f"{today.year}年{today.month}月{today.day}日"
    sheet = xlsx_of(admin_client.get(links["report-xlsx"]))["统计数据"]
    assert sheet["A1"].value == f"云岭市纪委监委{GENERATED_TITLE}"


def test_a_title_that_looks_like_a_formula_stays_text_in_the_xlsx(admin_client, city):
    response = admin_client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": city.pk, "title": "=HYPERLINK(1)"})
    assert xlsx_of(response)["统计数据"]["A1"].value == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"issued_on": "2022-02-30"}, "输入一个有效的日期"),
        ({"issued_on": "明天"}, "输入一个有效的日期"),
        ({"start": "2022-13-01"}, "输入一个有效的日期"),
        ({"end": "2019-12-31"}, "不能早于"),
        ({"title": "长" * 101}, "不超过 100 字符"),
        ({"unit": "abc"}, "选择一个有效的选项"),
    ],
)
@pytest.mark.parametrize("name", ["report", "report-docx", "report-xlsx"])
def test_bad_input_gives_a_form_error_not_a_server_error(admin_client, city, name, query, message):
    response = admin_client.get(reverse(f"reports:{name}"), {**PERIOD, "unit": city.pk, **query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


@pytest.mark.parametrize("name", ["report", "report-docx", "report-xlsx"])
def test_a_control_character_in_the_title_is_refused_before_any_file_is_made(admin_client, city, name):
    response = admin_client.get(reverse(f"reports:{name}"), {**PERIOD, "unit": city.pk, "title": "汇报\x07标题"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# 3. No English on the page, in the .docx or in the .xlsx, for the whole city and for a unit with
# hardly any rows (where empty values used to show as "None").


@pytest.mark.parametrize("unit_code", ["CITY", "T01-V1"])
def test_the_report_page_has_no_english_words(demo, admin_client, unit_code):
    unit = Unit.objects.get(code=unit_code)
    page = admin_client.get(reverse("reports:report"), {**PERIOD, "unit": unit.pk}).content.decode()
    main = page[page.index('<div id="content"') :]
    main = re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)
    visible = html.unescape(re.sub(r"<[^>]+>", " ", main))
    described = " ".join(
        html.unescape(value) for value in re.findall(r'(?:placeholder|title|aria-label|alt)="([^"]*)"', main)
    )
    # The download buttons name their file formats (.docx, .xlsx): those are the only Latin letters.
    assert english_words(visible) <= {"docx", "xlsx"}
    assert english_words(described) == set()
    assert "None" not in visible
    assert re.search(r"<title>[^<A-Za-z]*</title>", page)


@pytest.mark.parametrize("unit_code", ["CITY", "T01-V1"])
def test_the_docx_has_no_english_words(demo, admin_client, unit_code):
    unit = Unit.objects.get(code=unit_code)
    response = admin_client.get(reverse("reports:report-docx"), {**PERIOD, "unit": unit.pk})
    document = docx_of(response)
    text = "\n".join(paragraphs(document))
    footer = " ".join(paragraph.text for paragraph in document.sections[0].footer.paragraphs)
    properties = document.core_properties
    described = [properties.title, properties.author, properties.last_modified_by, properties.subject]
    described += [properties.comments, properties.keywords, properties.category]
    assert english_words(text) == set() and english_words(footer) == set()
    assert english_words(" ".join(described)) == set()  # not "python-docx"
    assert english_words(app_properties_text(response.content)) == set()  # not "Microsoft Macintosh Word"
    assert filename(response) == "工作汇报-20200101-20220906.docx"


@pytest.mark.parametrize("unit_code", ["CITY", "T01-V1"])
def test_the_xlsx_has_no_english_words(demo, admin_client, unit_code):
    unit = Unit.objects.get(code=unit_code)
    response = admin_client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": unit.pk})
    workbook = xlsx_of(response)
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert workbook.sheetnames == ["统计数据"]
    assert english_words(" ".join(cells)) == set()  # figure numbers (B1, A3b) hold no word
    assert "None" not in cells
    assert english_words(f"{workbook.properties.creator} {workbook.properties.title}") == set()  # not "openpyxl"
    assert english_words(app_properties_text(response.content)) == set()
    assert filename(response) == "工作汇报数据表-20200101-20220906.xlsx"
