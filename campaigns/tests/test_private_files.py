"""Campaign documents in private storage behind a permission check; uploads when the disk is full;
hostile workbooks through the import page."""

import errno
import importlib
import io
import os
import zipfile

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from campaigns.models import ActivityRecord, Campaign, Submission
from campaigns.tests.factories import CampaignFactory, OpenCallFactory
from core.storage import SafeFileSystemStorage, private_storage
from core.tests.images import png_bytes
from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SAVE_FAILED = "文件保存失败，请稍后再试或联系管理员"


def files_under(root) -> set[str]:
    return {
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    }


@pytest.fixture
def stored_files():
    """The files in public and private storage before the test, to compare with after."""
    return lambda: files_under(settings.MEDIA_ROOT) | files_under(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture
def disk_full(monkeypatch):
    """Every file written after this fails half-way with "No space left on device"."""

    def write_half_then_fail(self, file, content):
        file.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SafeFileSystemStorage, "_write", write_half_then_fail)


def campaign_form(city, **extra):
    return {
        "title": "带附件的活动",
        "kind": "study",
        "organisers": [city.pk],
        "starts_on": "2021-01-01",
        "summary": "简介",
        "document_title": "实施方案",
        "document": SimpleUploadedFile("云岭市廉洁文化实施方案.pdf", PDF, "application/pdf"),
        **extra,
    }


@pytest.fixture
def draft(city, township_a):
    campaign = CampaignFactory(title="草稿活动", organisers=[township_a], is_published=False, document_title="方案")
    campaign.document.save("原名.pdf", ContentFile(PDF), save=True)
    return campaign


# Campaign documents: private storage, random names, a view that checks who asks.


def test_an_uploaded_document_is_stored_privately_under_a_random_name(admin_client, city):
    response = admin_client.post(reverse("admin:campaigns_campaign_add"), campaign_form(city, is_published="on"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="带附件的活动")
    name = campaign.document.name
    assert name.startswith("campaigns/documents/") and name.endswith(".pdf")
    assert "实施方案" not in name and len(os.path.basename(name)) == 36
    assert (settings.PRIVATE_MEDIA_ROOT / name).read_bytes() == PDF
    assert not any("documents" in path for path in files_under(settings.MEDIA_ROOT))


def test_a_published_campaigns_document_downloads_for_anyone(client, city):
    campaign = CampaignFactory(organisers=[city], document_title="实施方案")
    campaign.document.save("x.pdf", ContentFile(PDF), save=True)
    page = client.get(campaign.get_absolute_url()).content.decode()
    url = reverse("campaigns:campaign-document", args=[campaign.pk])
    assert f'href="{url}"' in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("cadre", 404), ("other_township_staff", 404), ("organiser_staff", 200), ("commission", 200)],
)
def test_a_drafts_document_is_for_its_organisers_only(client, draft, who, status, township_a, township_b, city):
    users = {
        "cadre": lambda: make_member(township_a, Membership.Role.CADRE, username="cadre"),
        "other_township_staff": lambda: make_member(township_b, Membership.Role.UNIT_STAFF, username="b"),
        "organiser_staff": lambda: make_member(township_a, Membership.Role.UNIT_STAFF, username="a"),
        "commission": lambda: make_member(city, Membership.Role.COMMISSION_ADMIN, username="c"),
    }
    if who in users:
        client.force_login(users[who]())
    response = client.get(reverse("campaigns:campaign-document", args=[draft.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, no-store"


def test_a_drafts_document_is_not_in_public_media(draft):
    assert "原名" not in draft.document.name
    assert not (settings.MEDIA_ROOT / draft.document.name).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / draft.document.name).exists()


def test_a_campaign_without_a_document_or_with_a_lost_file_answers_404(client, city):
    campaign = CampaignFactory(organisers=[city])
    assert client.get(reverse("campaigns:campaign-document", args=[campaign.pk])).status_code == 404
    Campaign.objects.filter(pk=campaign.pk).update(document="campaigns/documents/gone.pdf")
    assert client.get(reverse("campaigns:campaign-document", args=[campaign.pk])).status_code == 404


def test_the_admin_links_the_current_document_through_the_view(admin_client, draft):
    page = admin_client.get(reverse("admin:campaigns_campaign_change", args=[draft.pk])).content.decode()
    assert reverse("campaigns:campaign-document", args=[draft.pk]) in page
    assert "/media/campaigns/documents" not in page


def test_the_migration_moves_existing_documents_out_of_public_media(city, django_capture_on_commit_callbacks):
    migration = importlib.import_module("campaigns.migrations.0006_campaign_documents_in_private_storage")
    old = default_storage.save("campaigns/documents/实施方案.pdf", ContentFile(PDF))
    campaign = CampaignFactory(organisers=[city])
    Campaign.objects.filter(pk=campaign.pk).update(document=old)
    history = django_apps.get_model("campaigns", "HistoricalCampaign")
    history.objects.filter(id=campaign.pk).update(document=old)

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    with django_capture_on_commit_callbacks(execute=True):
        migration.documents_to_private_storage(django_apps, SchemaEditor())

    campaign.refresh_from_db()
    new = campaign.document.name
    assert new != old and new.startswith("campaigns/documents/") and "实施方案" not in new
    assert private_storage().open(new).read() == PDF
    assert not default_storage.exists(old)
    assert set(history.objects.filter(id=campaign.pk).values_list("document", flat=True)) == {new}


# The admin's "view on site" hands out no secret URLs.


def test_view_on_site_for_a_submission_leads_nowhere(client, city, township_a):
    """Submissions have no public page of their own (their receipt code is the key to one), so the
    admin shortcut has nothing to redirect staff to."""
    school = UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SCH")
    call = OpenCallFactory(organisers=[city])
    work = Submission.objects.create(
        call=call,
        title="作品",
        category="calligraphy",
        author_name="李小明",
        age_or_grade="五年级",
        school=school,
        guardian_name="李大明",
        guardian_phone="13912345678",
        image="submissions/x.png",
        image_digest="0" * 64,
    )
    client.force_login(make_member(school, Membership.Role.UNIT_STAFF, username="teacher"))
    content_type = ContentType.objects.get_for_model(Submission)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, work.pk]))
    assert response.status_code == 404
    assert work.receipt_code not in response.content.decode()


# Storage faults: a form error, no row, no file.


def test_a_full_disk_in_the_admin_gives_a_form_error_no_row_and_no_file(admin_client, city, stored_files, disk_full):
    before = stored_files()
    response = admin_client.post(reverse("admin:campaigns_campaign_add"), campaign_form(city))
    assert response.status_code == 200
    assert SAVE_FAILED in response.content.decode()
    assert not Campaign.objects.filter(title="带附件的活动").exists()
    assert stored_files() == before


def test_files_saved_before_the_one_that_failed_are_removed(admin_client, city, stored_files, monkeypatch):
    """The cover is written, then the disk fills while writing the document: neither remains."""
    write = SafeFileSystemStorage._write
    calls = []

    def fail_on_the_second_file(self, file, content):
        calls.append(content.name)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, file, content)

    monkeypatch.setattr(SafeFileSystemStorage, "_write", fail_on_the_second_file)
    before = stored_files()
    cover = SimpleUploadedFile("封面.png", png_bytes((600, 400)), "image/png")
    response = admin_client.post(reverse("admin:campaigns_campaign_add"), campaign_form(city, cover=cover))
    assert response.status_code == 200 and SAVE_FAILED in response.content.decode()
    assert len(calls) == 2
    assert not Campaign.objects.filter(title="带附件的活动").exists()
    assert stored_files() == before


def test_a_full_disk_on_a_public_submission_gives_a_message_no_row_and_no_file(
    client, city, township_a, stored_files, disk_full
):
    school = UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SCH")
    call = OpenCallFactory(organisers=[city])
    before = stored_files()
    response = client.post(
        reverse("campaigns:call-detail", args=[call.pk]),
        {
            "title": "清风两袖",
            "category": "calligraphy",
            "author_name": "李小明",
            "age_or_grade": "五年级",
            "school": school.pk,
            "guardian_name": "李大明",
            "guardian_phone": "13912345678",
            "consent": "on",
            "image": SimpleUploadedFile("作品.png", png_bytes((600, 400)), "image/png"),
        },
    )
    assert response.status_code == 200
    assert SAVE_FAILED in response.content.decode()
    assert 'value="李小明"' in response.content.decode()
    assert not Submission.objects.exists()
    assert stored_files() == before


# Hostile workbooks through the import page.


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    row = b"<row><c><v>1</v></c></row>" * 10_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(60 * 1024 * 1024 // len(row)):
                sheet.write(row)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zip_bomb(), "工作簿过大"),
        (b"PK\x03\x04" + b"\x00" * 100, "不是 Excel 工作簿"),
    ],
)
def test_a_hostile_workbook_on_the_import_page_is_refused_with_a_message(
    client, staff_a, village_a, content, message, monkeypatch
):
    from core import spreadsheets

    monkeypatch.setattr(spreadsheets.openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was called"))
    client.force_login(staff_a)
    response = client.post(
        reverse("admin:campaigns_activityrecord_import"), {"file": SimpleUploadedFile("活动.xlsx", content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityRecord.objects.exists()
