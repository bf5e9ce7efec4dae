"""The first journey: the home page and the admin login, in Chinese, in a real browser."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_and_admin_login_in_chinese(live_server, page):
    get_user_model().objects.create_superuser("boss", password="Qingfeng-e2e-2026")

    page.goto(live_server.url + "/")
    assert page.title().startswith("清风网")
    expect(page.locator("header").get_by_text("云岭市纪委监委")).to_be_visible()
    expect(page.get_by_role("link", name="首页")).to_be_visible()

    page.get_by_role("button", name="长者模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder-mode\b"))
    expect(page.get_by_role("button", name="标准版")).to_be_visible()

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill("Qingfeng-e2e-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_text("清风网管理后台").first).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("elder_mode", [False, True])
def test_home_page_fits_a_phone_with_a_compact_header(live_server, browser, elder_mode):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    if elder_mode:
        context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # The header takes at most a fifth of the first screen; the navigation waits behind 菜单.
    assert phone.locator(".site-header").bounding_box()["height"] <= 740 * 0.2
    expect(phone.get_by_role("link", name="首页")).to_be_hidden()
    menu = phone.get_by_role("button", name="菜单")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="首页")).to_be_visible()
    context.close()
