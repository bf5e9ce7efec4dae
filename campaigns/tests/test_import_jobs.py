"""A large activity file imports as a background job: the requester follows it on a page of its
own, it is still all or nothing, and nobody else sees it. Without a broker (the tests, `make
run`) the job runs at once inside the upload's request, through the same task."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ActivityRecord
from campaigns.tests.factories import records_workbook
from campaigns.tests.test_services import rows
from core.jobs import job_progress_report
from core.models import BackgroundJob
from units.models import Membership
from units.tests.factories import make_member


@pytest.fixture
def small_inline_limit(monkeypatch):
    """Files of more than 5 rows go to the job queue."""
    monkeypatch.setattr("campaigns.admin.IMPORT_INLINE_ROWS", 5)


def upload(client, data):
    content = records_workbook(data).getvalue()
    return client.post(
        reverse("admin:campaigns_activityrecord_import"), {"file": SimpleUploadedFile("活动.xlsx", content)}
    )


def test_a_large_file_is_imported_by_a_job_whose_page_shows_the_result(
    client, staff_a, village_a, small_inline_limit, django_capture_on_commit_callbacks
):
    client.force_login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, rows(30))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:campaigns_activityrecord_import_job", args=[job.pk])
    assert job.status == BackgroundJob.Status.DONE
    assert ActivityRecord.objects.count() == 30
    assert ActivityRecord.history.filter(history_user=staff_a).count() == 30
    assert not job.file  # the upload is deleted once imported
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "30" in page
    assert 'http-equiv="refresh"' not in page


def test_a_small_file_still_imports_at_once(client, staff_a, village_a, small_inline_limit):
    client.force_login(staff_a)
    response = upload(client, rows(5))
    assert response.url == reverse("admin:campaigns_activityrecord_changelist")
    assert not BackgroundJob.objects.exists()
    assert ActivityRecord.objects.count() == 5


def test_a_job_with_a_bad_row_imports_nothing_and_names_the_row(
    client, staff_a, village_a, small_inline_limit, django_capture_on_commit_callbacks
):
    data = rows(30)
    data[17][0] = "不存在村"
    client.force_login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, data)
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert "19" in job.message  # row 19 of the sheet (below the headings)
    assert not ActivityRecord.objects.exists()
    page = client.get(response.url).content.decode()
    assert "失败" in page and "不存在村" in page


def test_a_running_job_shows_its_progress_and_reloads(client, staff_a):
    job = BackgroundJob.objects.create(kind="campaigns.activity_import", requested_by=staff_a, status="running")
    job_progress_report(job.pk, 12000, 50000)
    client.force_login(staff_a)
    page = client.get(reverse("admin:campaigns_activityrecord_import_job", args=[job.pk])).content.decode()
    assert '<progress max="50000" value="12000">' in page
    assert 'http-equiv="refresh"' in page


def test_nobody_else_sees_a_job(client, staff_a, township_a):
    job = BackgroundJob.objects.create(kind="campaigns.activity_import", requested_by=staff_a, status="done")
    colleague = make_member(township_a, Membership.Role.UNIT_STAFF, username="colleague")
    client.force_login(colleague)
    assert client.get(reverse("admin:campaigns_activityrecord_import_job", args=[job.pk])).status_code == 404
