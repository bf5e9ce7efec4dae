"""The self-check dashboard (网站自查) as a commission administrator uses it: axe-clean at 1280 px
and on a phone, overdue columns marked in words, a link check started from the page."""

import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from e2e.test_accessibility import violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill("jiwei")
    page.get_by_label("密码").fill("Qingfeng-demo-2026")
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_dashboard_passes_axe_and_starts_a_check(live_server, browser, width, settings):
    from publications.models import Publication

    call_command("load_demo", stdout=io.StringIO())
    # The demo's news are from the source report's years: make one column fresh for contrast.
    fresh = Publication.objects.filter(kind=Publication.Kind.NOTICE, is_published=True, audience="public")
    fresh.update(published_at=timezone.now() - datetime.timedelta(days=1))
    settings.PORTAL_SITE_URL = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url)
    page.get_by_role("link", name="个栏目超期未更新").click()
    page.wait_for_url("**/dashboard/")
    assert page.locator("tr.sitecheck-overdue").count() >= 1
    assert "超期" in page.locator("tr.sitecheck-overdue").first.inner_text()
    axe = Axe()
    assert violations(page, axe) == []
    page.get_by_role("button", name="立即检查链接").click()
    page.wait_for_url("**/dashboard/")
    assert "最近一次检查" in page.content()
    assert violations(page, axe) == []
    context.close()
