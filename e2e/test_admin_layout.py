"""The back office's lists as staff see them: at 1280 px a title column wide enough to read, visit
times on one line; on a phone an action bar that stays on the screen."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill("xingyuan")
    page.get_by_label("密码").fill("Qingfeng-demo-2026")
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_admin_lists_at_1280_and_on_a_phone(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/campaigns/activityrecord/")
    title = page.locator("#result_list td.field-title, #result_list th.field-title").first
    assert title.bounding_box()["width"] >= 240
    page.goto(live_server.url + "/admin/bases/visitbooking/")
    for cell in page.locator("#result_list td.field-visit_date").all():
        assert cell.evaluate("element => element.scrollWidth <= element.clientWidth + 1")
        assert cell.bounding_box()["height"] < 60  # one line
    desk.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = phone.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/bases/visitbooking/")
    page.locator("input.action-select").first.check()
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("#changelist .actions *")]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .map((element) => element.outerHTML.slice(0, 60))"""
    )
    assert overflowing == []
    phone.close()
