"""With a job queue the report's files are made by the worker: the requester waits on the job's
page and downloads the file there; nobody else finds the job or its file. (The tests run the
task at once, as `make run` does without a broker.)"""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import BackgroundJob
from units.models import Membership
from units.tests.factories import make_member

PERIOD = {"start": "2020-01-01", "end": "2022-09-06", "issued_on": "2022-09-10"}


@pytest.fixture
def in_background(settings):
    settings.REPORT_FILES_IN_BACKGROUND = True


def test_the_report_docx_is_made_by_a_job_and_downloaded_from_its_page(
    client, commission_admin, city, in_background, django_capture_on_commit_callbacks
):
    client.force_login(commission_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:report-docx"), {**PERIOD, "unit": city.pk})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:report-job", args=[job.pk])
    assert job.status == BackgroundJob.Status.DONE and job.result_name.endswith("-20200101-20220906.docx")
    page = client.get(response.url).content.decode()
    assert "报告已生成" in page and reverse("reports:report-job-file", args=[job.pk]) in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("reports:report-job-file", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and content[:2] == b"PK" and "attachment" in download["Content-Disposition"]


def test_the_figures_xlsx_job_makes_the_same_workbook_as_the_direct_download(
    client, commission_admin, city, in_background, django_capture_on_commit_callbacks, settings
):
    client.force_login(commission_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": city.pk})
    job = BackgroundJob.objects.get()
    queued = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(reverse("reports:report-job-file", args=[job.pk])).streaming_content))
    )
    settings.REPORT_FILES_IN_BACKGROUND = False
    direct = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": city.pk}).content)
    )
    assert [list(row) for row in queued.active.values] == [list(row) for row in direct.active.values]


def test_a_job_is_its_requesters_only(
    client, commission_admin, city, in_background, django_capture_on_commit_callbacks
):
    client.force_login(commission_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:report-docx"), {**PERIOD, "unit": city.pk})
    job = BackgroundJob.objects.get()
    colleague = make_member(city, Membership.Role.COMMISSION_ADMIN, username="colleague")
    client.force_login(colleague)
    assert client.get(reverse("reports:report-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:report-job-file", args=[job.pk])).status_code == 404


def test_an_invalid_period_queues_nothing_and_shows_the_form_errors(client, commission_admin, city, in_background):
    client.force_login(commission_admin)
    response = client.get(reverse("reports:report-docx"), {**PERIOD, "start": "2023-01-01", "unit": city.pk})
    assert response.status_code == 200 and not BackgroundJob.objects.exists()


def test_another_townships_report_is_refused_and_not_queued(
    client, staff_a, township_a, township_b, in_background, django_capture_on_commit_callbacks
):
    client.force_login(staff_a)
    assert client.get(reverse("reports:report-docx"), {**PERIOD, "unit": township_b.pk}).status_code == 200
    assert not BackgroundJob.objects.exists()  # another township's report is not even queued
