"""The holiday inspection calendar as township staff use it: from the admin home's work queue to
the calendar, recording the coming occasion's inspection, and the calendar axe-clean at 1280 px
and on a phone."""

import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from e2e.test_accessibility import violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("Qingfeng-demo-2026")
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("width", [1280, 375])
def test_staff_plan_the_coming_occasion_from_the_calendar(live_server, browser, width):
    from inspections.models import Inspection, OccasionPeriod

    call_command("load_demo", stdout=io.StringIO())
    # An occasion starting in three days, so that the work queue asks for a plan.
    today = timezone.localdate()
    coming = OccasionPeriod.objects.filter(starts_on__gt=today).order_by("starts_on").first()
    coming.starts_on, coming.ends_on = today + datetime.timedelta(days=3), today + datetime.timedelta(days=20)
    coming.save()
    Inspection.objects.filter(period=coming).delete()

    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "xingyuan")  # 兴源镇's staff
    page.get_by_role("link", name="尚未安排的节点检查").click()
    page.wait_for_url("**/calendar/**")
    assert "尚未安排检查：兴源镇" in page.locator(".units-without").first.inner_text().replace("\n", "")
    axe = Axe()
    assert violations(page, axe) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="登记本节点的检查").first.click()
    page.get_by_label("检查人员").fill("李填报、周审核")
    page.locator("input[name=_save]").click()
    assert "成功" in page.locator(".messagelist").inner_text()
    saved = Inspection.objects.get(period=coming, unit__code="T01")
    assert saved.done_on is None and saved.inspectors == "李填报、周审核"

    page.goto(live_server.url + f"/admin/inspections/inspection/calendar/?year={coming.year}")
    assert saved.title in page.locator(f"#period-{coming.pk}").locator("xpath=..").inner_text()
    assert violations(page, axe) == []
    context.close()
