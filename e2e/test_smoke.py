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


def test_home_page_fits_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    context.close()
