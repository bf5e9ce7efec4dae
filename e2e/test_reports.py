"""Journey: staff open the work report, change the period and download the .docx."""

import io

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_change_period_download(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    make_member(Unit.objects.get(code="JW-XCB"), Membership.Role.COMMISSION_ADMIN, username="report_admin")

    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill("report_admin")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.get_by_role("link", name="工作汇报与统计").click()

    page.locator("#id_start").fill("2020-01-01")
    page.locator("#id_end").fill("2022-09-06")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#figure-S1 .figure-value")).to_have_text("3600份")
    expect(page.locator("#figure-P1 .figure-value")).to_have_text("510册")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="生成汇报（.docx）").click()
    path = download_info.value.path()
    text = "\n".join(paragraph.text for paragraph in Document(path).paragraphs)
    assert "3600份" in text and "2021年1月1日正式开馆" in text
