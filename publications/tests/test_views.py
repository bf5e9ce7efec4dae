import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publications.forms import AttachmentForm
from publications.models import Audience, BulletinCase, Publication, ReadReceipt
from publications.services import receipt_confirm
from publications.tests.factories import PublicationFactory, attach, docx_bytes, pdf_bytes
from units.tests.factories import make_member


def attachment_errors(name, content):
    form = AttachmentForm(files={"file": SimpleUploadedFile(name, content)})
    return form.errors.get("file", []) if not form.is_valid() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00PE executable", "不是真正的 PDF"),
        ("网页.pdf", b"<html><script>alert(1)</script></html>", "不是真正的 PDF"),
        ("假文档.docx", b"PK\x03\x04not really a zip", "不是真正的 DOCX"),
        ("程序.exe", b"MZ\x90\x00", "只能是 PDF、DOCX、XLSX、JPG 或 PNG"),
        ("页面.html", b"<html></html>", "只能是 PDF、DOCX、XLSX、JPG 或 PNG"),
    ],
)
def test_disguised_files_are_refused(db, name, content, message):
    errors = attachment_errors(name, content)
    assert any(message in error for error in errors)


def test_allowed_files_download_with_their_chinese_name_and_type(client, township_a):
    item = PublicationFactory(issuing_unit=township_a)
    pdf = attach(item, "《纪检监察纪律规定汇编》.pdf", pdf_bytes())
    docx = attach(item, "工作要点.docx", docx_bytes(), "application/msword")
    response = client.get(pdf.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E3%80%8A" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(docx.get_absolute_url())
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert not pdf.file.name.startswith("attachments/《")  # stored under a random name


def test_bulletin_list_marks_unstudied_items(client, township_a, cadre_a):
    first = PublicationFactory(
        title="第一期通报", kind="case_bulletin", audience=Audience.CADRES, issuing_unit=township_a
    )
    PublicationFactory(title="第二期通报", kind="case_bulletin", audience=Audience.CADRES, issuing_unit=township_a)
    receipt_confirm(publication=first, user=cadre_a)
    client.force_login(cadre_a)
    page = client.get(reverse("publications:bulletin-list")).content.decode()
    assert page.count("未学习") == 1
    assert page.index("第二期通报") < page.index("第一期通报")  # newest first


def test_anonymous_visitors_are_sent_to_log_in_for_bulletins(client, db):
    response = client.get(reverse("publications:bulletin-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_studied_button_records_one_receipt(client, township_a, cadre_a):
    item = PublicationFactory(kind="case_bulletin", audience=Audience.CADRES, issuing_unit=township_a)
    client.force_login(cadre_a)
    assert "我已学习" in client.get(item.get_absolute_url()).content.decode()
    client.post(reverse("publications:receipt-confirm", args=[item.pk]))
    client.post(reverse("publications:receipt-confirm", args=[item.pk]))
    assert ReadReceipt.objects.filter(publication=item, user=cadre_a).count() == 1
    assert "您已于" in client.get(item.get_absolute_url()).content.decode()


def test_case_bulletin_renders_its_cases_in_the_national_format(client, township_a, cadre_a):
    item = PublicationFactory(
        title="关于2起违反中央八项规定精神典型问题的通报",
        kind="case_bulletin",
        audience=Audience.CADRES,
        issuing_unit=township_a,
    )
    BulletinCase.objects.create(
        publication=item,
        order=1,
        unit_name="某镇",
        position="副镇长",
        person_name="王某某",
        problem_type="gifts",
        facts="2021年春节期间收受礼金。",
        disposition="受到党内警告处分。",
    )
    client.force_login(cadre_a)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "某镇副镇长王某某违规收送礼品礼金问题。" in page and "受到党内警告处分。" in page


def test_list_and_bulletin_pages_run_a_bounded_number_of_queries(
    client, township_a, cadre_a, django_assert_max_num_queries
):
    for number in range(40):
        item = PublicationFactory(
            kind="case_bulletin", audience=Audience.CADRES, issuing_unit=township_a, title=f"通报{number}"
        )
        attach(item, f"附件{number}.pdf", pdf_bytes())
        if number % 2:
            receipt_confirm(publication=item, user=cadre_a)
    client.force_login(cadre_a)
    # The first page also works out the navigation (one query per column, then remembered).
    with django_assert_max_num_queries(13):
        client.get(reverse("publications:publication-list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("publications:bulletin-list"))
    with django_assert_max_num_queries(14):
        client.get(item.get_absolute_url())


def test_staff_read_rates_view_is_scoped_and_exports(client, township_a, township_b, village_a, village_b, staff_a):
    item = PublicationFactory(kind="case_bulletin", audience=Audience.CADRES, issuing_unit=township_a)
    reader = make_member(village_a, username="reader", first_name="读者")
    make_member(village_a, username="lazy", first_name="未读者")
    make_member(village_b, username="other", first_name="外镇干部")
    receipt_confirm(publication=item, user=reader)
    client.force_login(staff_a)
    url = reverse("admin:publications_publication_read_rates", args=[item.pk])
    page = client.get(url).content.decode()
    assert "向阳村" in page and "河口村" not in page and "外镇干部" not in page and "未读者" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = [row[:3] for row in workbook["学习情况"].iter_rows(values_only=True)]
    assert rows == [("单位", "名册人数", "已学习"), ("东山镇", 1, 0), ("向阳村", 2, 1)]


def test_staff_cannot_see_another_townships_publication_in_admin(client, township_b, staff_a):
    other = PublicationFactory(title="西河镇通报", issuing_unit=township_b)
    client.force_login(staff_a)
    assert "西河镇通报" not in client.get(reverse("admin:publications_publication_changelist")).content.decode()
    assert client.get(reverse("admin:publications_publication_read_rates", args=[other.pk])).status_code == 404


def test_admin_form_refuses_a_duplicate_issue_number_with_a_message(admin_client, township_a):
    PublicationFactory(series="典型案例通报", year=2020, issue_number=3, issuing_unit=township_a)
    data = {
        "kind": "case_bulletin",
        "title": "重复期号",
        "audience": "cadres",
        "issuing_unit": township_a.pk,
        "series": "典型案例通报",
        "year": "2020",
        "issue_number": "3",
        "copies_printed": "0",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ["attachments", "cases", "distributions", "placements"]
            for key in ["TOTAL_FORMS", "INITIAL_FORMS"]
        },
    }
    response = admin_client.post(reverse("admin:publications_publication_add"), data)
    assert response.status_code == 200
    assert "该期号在本系列本年度中已被使用" in response.content.decode()
    assert not Publication.objects.filter(title="重复期号").exists()
