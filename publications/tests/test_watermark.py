"""Restricted attachments reach readers only as copies stamped with who they are, each copy
logged with its trace code; staff look a code up in the admin, within their units."""

import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image, ImageChops
from pypdf import PdfReader

from core.tests.pdfs import sample_docx, sample_image, sample_pdf
from publications.models import AttachmentDelivery, Audience, Publication
from publications.services import attachment_deliver
from publications.tests.factories import PublicationFactory, attach, pdf_bytes
from units.models import Membership
from units.tests.factories import UserFactory, make_member

# Bytes after the end of the original file: pypdf reads the file all the same, and they appear
# in a response only if the original itself is sent.
ORIGINAL_ONLY = b"\n% ORIGINAL-FILE-BYTES\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def bulletin(township_a):
    return PublicationFactory(
        title="关于3起典型问题的通报",
        kind=Publication.Kind.CASE_BULLETIN,
        audience=Audience.CADRES,
        issuing_unit=township_a,
    )


@pytest.fixture
def reader(village_a):
    return make_member(village_a, Membership.Role.CADRE, username="zhangsan", first_name="张三")


def download(client, attachment):
    response = client.get(attachment.get_absolute_url())
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_a_cadre_gets_a_pdf_stamped_on_every_page_with_name_unit_and_trace_code(client, bulletin, reader):
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(4) + ORIGINAL_ONLY)
    client.force_login(reader)
    response, content = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=utf-8''%E9%80%9A%E6%8A%A5" in response["Content-Disposition"]  # 通报原文.pdf
    assert ORIGINAL_ONLY not in content
    delivery = AttachmentDelivery.objects.get()
    assert (delivery.user, delivery.attachment, delivery.unit.name) == (reader, attachment, "向阳村")
    assert (delivery.reader_name, delivery.file_name) == ("张三", "通报原文.pdf")
    assert delivery.client_address == "127.0.0.1"
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 4
    for page in pages:
        text = page.extract_text()
        assert "张三" in text and "向阳村" in text and f"追踪码 {delivery.trace_code}" in text


def test_every_download_is_logged_with_a_code_of_its_own(client, bulletin, reader):
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(1))
    client.force_login(reader)
    first, second = download(client, attachment)[1], download(client, attachment)[1]
    codes = list(AttachmentDelivery.objects.order_by("pk").values_list("trace_code", flat=True))
    assert len(codes) == 2 and codes[0] != codes[1]
    assert codes[0] in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert codes[1] in PdfReader(io.BytesIO(second)).pages[0].extract_text()


def test_behind_nginx_a_restricted_file_is_still_stamped_by_the_app(client, bulletin, reader, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(1) + ORIGINAL_ONLY)
    client.force_login(reader)
    response, content = download(client, attachment)
    assert "X-Accel-Redirect" not in response
    assert content.startswith(b"%PDF") and ORIGINAL_ONLY not in content


def test_public_attachments_are_served_as_uploaded_and_not_logged(client, township_a, reader):
    item = PublicationFactory(issuing_unit=township_a)
    original = sample_pdf(1) + ORIGINAL_ONLY
    attachment = attach(item, "公开材料.pdf", original)
    client.force_login(reader)
    response, content = download(client, attachment)
    assert response.status_code == 200 and content == original
    assert not AttachmentDelivery.objects.exists()


def test_anonymous_visitors_and_readers_of_another_audience_get_no_copy(client, township_a, bulletin, reader):
    cadre_file = attach(bulletin, "通报原文.pdf", sample_pdf(1))
    staff_item = PublicationFactory(audience=Audience.STAFF, kind=Publication.Kind.NOTICE, issuing_unit=township_a)
    staff_file = attach(staff_item, "内部提示.pdf", sample_pdf(1))
    response = client.get(cadre_file.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(reader)
    assert client.get(staff_file.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(username="no_unit"))  # an account registered with no unit
    assert client.get(cadre_file.get_absolute_url()).status_code == 404
    assert not AttachmentDelivery.objects.exists()


def test_the_service_refuses_a_reader_the_item_is_not_for(bulletin):
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(1))
    with pytest.raises(PermissionDenied):
        attachment_deliver(attachment=attachment, user=UserFactory(username="no_unit"))
    assert not AttachmentDelivery.objects.exists()


def test_a_restricted_image_keeps_its_format_and_size_and_carries_the_marks(client, bulletin, reader):
    attachment = attach(bulletin, "现场照片.png", sample_image("PNG", (640, 480)), "image/png")
    client.force_login(reader)
    response, content = download(client, attachment)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with attachment.file.open("rb") as stored:
        original = stored.read()
    assert content != original
    with Image.open(io.BytesIO(content)) as stamped, Image.open(io.BytesIO(original)) as before:
        assert stamped.format == "PNG" and stamped.size == (640, 480)
        assert ImageChops.difference(before.convert("RGB"), stamped.convert("RGB")).getbbox() is not None
    assert AttachmentDelivery.objects.filter(user=reader, attachment=attachment).count() == 1


def test_a_restricted_word_document_has_the_reader_in_every_header(client, bulletin, reader):
    attachment = attach(bulletin, "学习材料.docx", sample_docx(2), DOCX_TYPE)
    client.force_login(reader)
    response, content = download(client, attachment)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    code = AttachmentDelivery.objects.get().trace_code
    for section in docx.Document(io.BytesIO(content)).sections:
        header = " ".join(paragraph.text for paragraph in section.header.paragraphs)
        assert "张三" in header and code in header


def test_a_restricted_spreadsheet_is_refused_with_a_clear_page_not_sent(client, bulletin, reader):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "名单"
    buffer = io.BytesIO()
    workbook.save(buffer)
    attachment = attach(
        bulletin, "名单.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    client.force_login(reader)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 403
    page = response.content.decode()
    assert "无法加盖水印" in page and "东山镇" in page and bulletin.get_absolute_url() in page
    assert not AttachmentDelivery.objects.exists()


def test_a_damaged_restricted_pdf_shows_a_clear_page_and_logs_nothing(client, bulletin, reader):
    attachment = attach(bulletin, "损坏.pdf", pdf_bytes("SECRET"))
    client.force_login(reader)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 422
    assert "PDF 文件已损坏" in response.content.decode()
    assert not AttachmentDelivery.objects.exists()


def test_the_detail_page_warns_that_copies_carry_the_readers_name(client, bulletin, reader, township_a):
    attach(bulletin, "通报原文.pdf", sample_pdf(1))
    public = PublicationFactory(issuing_unit=township_a)
    attach(public, "公开材料.pdf", sample_pdf(1))
    client.force_login(reader)
    assert "追踪码" in client.get(bulletin.get_absolute_url()).content.decode()
    assert "追踪码" not in client.get(public.get_absolute_url()).content.decode()


# --- The trace lookup in the admin -----------------------------------------------------------


@pytest.fixture
def deliveries(bulletin, reader, village_b):
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(1))
    other = make_member(village_b, Membership.Role.CADRE, username="lisi", first_name="李四")
    ours, _content = attachment_deliver(attachment=attachment, user=reader)
    theirs, _content = attachment_deliver(attachment=attachment, user=other)
    return ours, theirs


def lookup(client, code):
    return client.get(reverse("admin:publications_attachmentdelivery_changelist"), {"q": code.lower()})


def test_an_administrator_finds_who_received_a_copy_by_its_trace_code(
    client, commission_admin, deliveries, django_assert_max_num_queries
):
    ours, theirs = deliveries
    client.force_login(commission_admin)
    with django_assert_max_num_queries(12):
        page = lookup(client, theirs.trace_code).content.decode()
    assert "查找追踪码" in page
    assert theirs.trace_code in page and "李四" in page and "河口村" in page and "通报原文.pdf" in page
    assert ours.trace_code not in page and "张三" not in page


def test_the_whole_foot_line_of_a_copy_finds_its_delivery(client, commission_admin, deliveries):
    ours, theirs = deliveries
    client.force_login(commission_admin)
    page = lookup(client, f"追踪码 {ours.trace_code}").content.decode()
    assert ours.trace_code in page and theirs.trace_code not in page


def test_unit_staff_find_only_copies_delivered_to_people_of_their_units(client, staff_a, deliveries):
    ours, theirs = deliveries
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_attachmentdelivery_changelist")).content.decode()
    assert ours.trace_code in page and theirs.trace_code not in page
    assert theirs.trace_code not in lookup(client, theirs.trace_code).content.decode()
    url = reverse("admin:publications_attachmentdelivery_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 404)  # not theirs: no such row for them
    assert client.get(reverse("admin:publications_attachmentdelivery_change", args=[ours.pk])).status_code == 200


def test_the_log_cannot_be_added_to_changed_or_deleted_in_the_admin(client, commission_admin, deliveries):
    ours, _theirs = deliveries
    client.force_login(commission_admin)
    assert client.get(reverse("admin:publications_attachmentdelivery_add")).status_code == 403
    assert client.get(reverse("admin:publications_attachmentdelivery_delete", args=[ours.pk])).status_code == 403
    client.post(reverse("admin:publications_attachmentdelivery_change", args=[ours.pk]), {"reader_name": "别人"})
    ours.refresh_from_db()
    assert ours.reader_name == "张三"


def test_staff_reach_the_lookup_from_the_admin_home(client, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:publications_attachmentdelivery_changelist") in page


def test_the_admin_links_an_attachment_to_the_checked_download_never_to_the_stored_file(admin_client, bulletin):
    attachment = attach(bulletin, "通报原文.pdf", sample_pdf(1))
    page = admin_client.get(reverse("admin:publications_publication_change", args=[bulletin.pk])).content.decode()
    assert f'<a href="{attachment.get_absolute_url()}">通报原文.pdf</a>' in page
    assert attachment.file.name not in page
