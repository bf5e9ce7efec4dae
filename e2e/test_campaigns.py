"""Journey: a student submits an artwork, staff select it, it appears in the gallery, and the
status page says 已入选."""

import pytest
from playwright.sync_api import expect

from campaigns.tests.factories import OpenCallFactory
from core.tests.images import png_bytes
from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_select_gallery_status(live_server, browser, tmp_path):
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    education = UnitFactory(name="市教体局", kind=Unit.Kind.ORGAN, parent=city, code="JTJ")
    UnitFactory(name="兴源中心小学", kind=Unit.Kind.SCHOOL, parent=city, code="S1")
    make_member(education, Membership.Role.UNIT_STAFF, username="jtj", first_name="教体局干部")
    call = OpenCallFactory(title="2020年青少年书画评展征稿", organisers=[education])
    artwork = tmp_path / "书法作品.png"
    artwork.write_bytes(png_bytes((800, 600)))

    student = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    student.goto(live_server.url + call.get_absolute_url())
    student.get_by_role("textbox", name="作品名称").fill("两袖清风")
    student.get_by_role("combobox", name="类别").select_option(label="书法")
    student.get_by_role("textbox", name="作者").fill("王小雨")
    student.get_by_role("textbox", name="年龄或年级").fill("六年级")
    student.get_by_role("combobox", name="学校", exact=True).select_option(label="兴源中心小学")
    student.locator("#id_guardian_name").fill("王大山")
    student.get_by_role("textbox", name="监护人电话").fill("13900001111")
    student.get_by_label("作品图片").set_input_files(str(artwork))
    student.locator("input[name=consent]").check()
    student.get_by_role("button", name="提交", exact=True).click()
    expect(student.get_by_role("heading", name="作品已收到")).to_be_visible()
    code = student.locator(".receipt-code").inner_text()

    staff = browser.new_context(locale="zh-CN").new_page()
    staff.goto(live_server.url + "/admin/login/?next=/admin/campaigns/submission/")
    staff.get_by_label("用户名").fill("jtj")
    staff.get_by_label("密码").fill(DEFAULT_PASSWORD)
    staff.locator("#login-form input[type=submit]").click()
    staff.locator("#result_list input.action-select").first.check()
    staff.locator("select[name=action]").select_option("accept")
    staff.locator("button[name=index], .actions button").first.click()
    expect(staff.locator(".messagelist")).to_contain_text("已更新 1 件作品")

    student.goto(live_server.url + f"/campaigns/calls/{call.pk}/gallery/")
    expect(student.get_by_text("两袖清风")).to_be_visible()
    expect(student.get_by_text("王小雨 · 六年级 · 兴源中心小学")).to_be_visible()
    assert "13900001111" not in student.content()
    student.goto(live_server.url + f"/campaigns/submissions/status/?code={code}")
    expect(student.locator(".submission-status .status")).to_have_text("已入选")
