import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import BackgroundJob
from publications.models import Publication
from publications.tests.factories import PublicationFactory
from sitecheck.models import BrokenLink, LinkCheckRun
from sitecheck.selectors import column_freshness
from sitecheck.services import link_check_run

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:sitecheck_dashboard")


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_cadre_is_refused(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unit_staff_are_refused_and_not_shown_the_way(client, staff_a):
    client.force_login(staff_a)
    assert client.get(DASHBOARD).status_code == 403
    assert client.post(reverse("admin:sitecheck_start")).status_code == 403
    assert client.get(reverse("admin:sitecheck_brokenlink_changelist")).status_code == 403
    assert "网站自查" not in client.get(reverse("admin:index")).content.decode()


def test_the_dashboard_marks_overdue_columns_in_words(client, commission_admin):
    news = PublicationFactory(kind=Publication.Kind.NEWS)
    Publication.objects.filter(pk=news.pk).update(published_at=timezone.now() - datetime.timedelta(days=20))
    PublicationFactory(kind=Publication.Kind.STUDY_MATERIAL)
    client.force_login(commission_admin)
    page = client.get(DASHBOARD).content.decode()
    overdue_row = page.split(">工作动态</a>", 1)[1].split("</tr>", 1)[0]
    assert "超期 6 天" in overdue_row
    fresh_row = page.split(">学习资料</a>", 1)[1].split("</tr>", 1)[0]
    assert "正常" in fresh_row and "超期" not in fresh_row
    assert "超期未更新的栏目：1 个" in page
    assert "尚未检查过链接" in page


def test_the_admin_home_leads_commission_admins_to_the_dashboard(client, commission_admin):
    client.force_login(commission_admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert DASHBOARD in page


def test_the_dashboard_query_budget(client, commission_admin, django_assert_max_num_queries):
    for kind in Publication.Kind.values:
        PublicationFactory(kind=kind)
    link_check_run(actor=None)
    client.force_login(commission_admin)
    for _ in range(10):
        PublicationFactory(kind=Publication.Kind.NEWS)
    columns = len(column_freshness())
    client.get(DASHBOARD)
    # The session, the user and their access (7), one query per column whatever it holds, the last
    # run and the last job.
    with django_assert_max_num_queries(7 + columns + 2):
        assert client.get(DASHBOARD).status_code == 200


def test_staff_start_a_check_and_see_its_result(client, commission_admin, django_capture_on_commit_callbacks):
    PublicationFactory(title="坏链接文章", body='<p><a href="/no-such-page/">坏</a></p>')
    client.force_login(commission_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:sitecheck_start"))
    assert response.status_code == 302
    page = client.get(DASHBOARD).content.decode()
    assert "发现 1 个失效链接" in page
    run = LinkCheckRun.objects.get()
    assert run.requested_by == commission_admin
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.DONE and "发现 1 个失效链接" in job.message
    listing = client.get(reverse("admin:sitecheck_brokenlink_changelist") + f"?run__id__exact={run.pk}")
    assert "/no-such-page/" in listing.content.decode() and "坏链接文章" in listing.content.decode()


def test_starting_a_check_needs_a_post(client, commission_admin):
    client.force_login(commission_admin)
    assert client.get(reverse("admin:sitecheck_start")).status_code == 405
    assert not LinkCheckRun.objects.exists()


def test_the_export_lists_every_broken_link(client, commission_admin):
    PublicationFactory(title="导出测试", body='<p><a href="/no-such-page/">坏</a><a href="/media/gone.png">图</a></p>')
    run = link_check_run(actor=commission_admin)
    client.force_login(commission_admin)
    response = client.get(reverse("admin:sitecheck_export", args=[run.pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("内容类型", "内容", "字段", "地址")
    assert sorted((row[1], row[3], row[4], row[5]) for row in rows[1:]) == [
        ("导出测试", "/media/gone.png", None, "存储中找不到文件"),
        ("导出测试", "/no-such-page/", 404, None),
    ]


def test_an_unknown_run_is_a_404(client, commission_admin):
    client.force_login(commission_admin)
    assert client.get(reverse("admin:sitecheck_export", args=[999])).status_code == 404


def test_broken_links_filter_by_reason(client, commission_admin):
    PublicationFactory(body='<p><a href="/no-such-page/">坏</a><a href="/media/gone.png">图</a></p>')
    link_check_run(actor=None)
    client.force_login(commission_admin)
    url = reverse("admin:sitecheck_brokenlink_changelist")
    page = client.get(url + "?reason=4xx").content.decode()
    assert "/no-such-page/" in page and "/media/gone.png" not in page
    page = client.get(url + "?reason=error").content.decode()
    assert "/media/gone.png" in page and "/no-such-page/" not in page
    assert BrokenLink.objects.count() == 2
